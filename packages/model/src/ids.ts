// Random ids for cards, links, status changes, callouts and role assignments.
const ALPHABET = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict'; // 64 url-safe chars
export const NEW_ID_LENGTH = 21;

interface RandomSource {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

// `crypto` is a global in browsers and in Node >= 20, but neither lib typing is loaded in this package.
function randomSource(): RandomSource {
  const source = (globalThis as { crypto?: RandomSource }).crypto;
  if (!source || typeof source.getRandomValues !== 'function') {
    throw new Error('globalThis.crypto.getRandomValues is not available');
  }
  return source;
}

/** 21 chars from a 64-letter alphabet: 126 random bits, valid under ID_PATTERN. */
export function newId(): string {
  const bytes = randomSource().getRandomValues(new Uint8Array(NEW_ID_LENGTH));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}
