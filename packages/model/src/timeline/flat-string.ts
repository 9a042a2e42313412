// Strings built with `+` or a template are trees of fragments until something reads their characters;
// then the engine copies them into one flat string, in place. A string that is read again and again
// (a card's label, in every event about the card) is worth flattening once up front: otherwise every
// copy of it walks the fragments again, from wherever in memory they ended up.

/** Never matches; testing any regular expression flattens the string it reads. */
const READ_EVERY_CHARACTER = /\uFFFF\uFFFF/;

/** The same string, flattened in place (its value does not change). */
export function flat(text: string): string {
  READ_EVERY_CHARACTER.test(text);
  return text;
}
