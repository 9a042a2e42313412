// Word wrapping for canvas text. Measuring is injected (canvas measureText in the browser, a fake in tests).
export type Measure = (text: string) => number;

/**
 * Break `text` into at most `maxLines` lines no wider than `maxWidth`; the last line ends with an ellipsis
 * when text was cut. Long words are broken by character.
 */
export function wrapText(text: string, maxWidth: number, maxLines: number, measure: Measure): string[] {
  if (maxLines <= 0 || maxWidth <= 0) return [];
  const lines: string[] = [];
  const paragraphs = text.replace(/\r/g, '').split('\n');
  let truncated = false;
  outer: for (let p = 0; p < paragraphs.length; p++) {
    const words = (paragraphs[p] ?? '').split(/\s+/).filter((w) => w.length > 0);
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) {
        lines.push(line);
        if (lines.length >= maxLines) {
          truncated = true;
          break outer;
        }
      }
      // The word alone may still be too wide: break it by characters.
      let rest = word;
      while (measure(rest) > maxWidth && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && measure(rest.slice(0, cut)) > maxWidth) cut--;
        lines.push(rest.slice(0, cut));
        if (lines.length >= maxLines) {
          truncated = true;
          break outer;
        }
        rest = rest.slice(cut);
      }
      line = rest;
    }
    if (line || words.length === 0) {
      if (lines.length >= maxLines) {
        truncated = true;
        break;
      }
      if (line || (p > 0 && p < paragraphs.length - 1)) lines.push(line);
    }
    if (lines.length >= maxLines && p < paragraphs.length - 1) {
      truncated = paragraphs.slice(p + 1).some((rest) => rest.trim().length > 0);
      break;
    }
  }
  if (truncated && lines.length > 0) {
    lines[lines.length - 1] = withEllipsis(lines[lines.length - 1] ?? '', maxWidth, measure);
  }
  return lines;
}

export function withEllipsis(line: string, maxWidth: number, measure: Measure): string {
  let cut = line.trimEnd();
  while (cut.length > 0 && measure(`${cut}…`) > maxWidth) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Memoizes a measure function; canvas measureText is the hot path when thousands of cards redraw. */
export function cachedMeasure(measure: Measure, limit = 20000): Measure {
  const cache = new Map<string, number>();
  return (text) => {
    let width = cache.get(text);
    if (width === undefined) {
      if (cache.size >= limit) cache.clear();
      width = measure(text);
      cache.set(text, width);
    }
    return width;
  };
}
