// Escaping user text for Markdown. Card titles, reasons and read-backs are written by responders and must
// not turn into markup (a stray `|` breaking a table, `<img onerror>` in a renderer that passes HTML).

const INLINE_SPECIAL = /[\\`*_[\]<>|~&]/g;
const NEEDS_WORK = /[\\`*_[\]<>|~&\r\n]/;
const NEWLINES = /\r\n|\r|\n/g;

/** One line of prose: markup characters backslash-escaped, line breaks folded into spaces. */
export function mdText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(INLINE_SPECIAL, '\\$&').replace(NEWLINES, ' ');
}

/** A table cell: like mdText (which already escapes `|`), but line breaks become <br>. */
export function mdCell(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(INLINE_SPECIAL, '\\$&').replace(NEWLINES, '<br>');
}

const LINE_START = /^(\s*)([#>+=-]|\d+(?=[.)]))/;

/**
 * A multi-line paragraph (the board summary): every line escaped, and characters that would start a
 * heading, quote or list at the beginning of a line escaped too. Line breaks are kept.
 */
export function mdParagraph(text: string): string {
  return text
    .split(NEWLINES)
    .map((line) => {
      const escaped = line.replace(INLINE_SPECIAL, '\\$&');
      const m = LINE_START.exec(escaped);
      if (!m) return escaped;
      const [whole, indent = '', marker = ''] = m;
      // "1." → "1\." ; "# " → "\# "
      const fixed = /^\d/.test(marker)
        ? `${indent}${marker}\\${escaped.charAt(whole.length)}`
        : `${indent}\\${marker}`;
      const restStart = /^\d/.test(marker) ? whole.length + 1 : whole.length;
      return fixed + escaped.slice(restStart);
    })
    .join('  \n');
}
