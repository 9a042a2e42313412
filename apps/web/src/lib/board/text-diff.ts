// The smallest single edit that turns one string into another (common prefix and suffix kept), so typing in
// a text box changes only what the user changed in the shared Y.Text and concurrent edits merge.
export interface TextEdit {
  index: number;
  deleteCount: number;
  insert: string;
}

export function diffText(before: string, after: string, cursorHint?: number): TextEdit | undefined {
  if (before === after) return undefined;
  let prefix = 0;
  const maxPrefix = Math.min(before.length, after.length);
  while (prefix < maxPrefix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const maxSuffix = Math.min(before.length, after.length) - prefix;
  while (
    suffix < maxSuffix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  // Typing "a" into "aa" is ambiguous; the caret tells where the user actually typed.
  if (cursorHint !== undefined && after.length > before.length) {
    const inserted = after.length - before.length;
    const start = cursorHint - inserted;
    if (start >= 0 && start <= prefix && before.slice(0, start) === after.slice(0, start) && before.slice(start) === after.slice(cursorHint)) {
      return { index: start, deleteCount: 0, insert: after.slice(start, cursorHint) };
    }
  }
  // Keep surrogate pairs whole.
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  return {
    index: prefix,
    deleteCount: before.length - prefix - suffix,
    insert: after.slice(prefix, after.length - suffix),
  };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
