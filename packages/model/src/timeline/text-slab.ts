// Event texts made as slices of a few large strings instead of 70,000+ small ones.
//
// A text built with `+` or a template is a tree of fragments until it is first read; flattening each one
// costs an allocation and a copy per event, and every flat copy then has to be moved by the garbage
// collector because the timeline keeps it. Here the texts of a few thousand events are joined into one
// string in a single pass, and each event gets a slice of it: a small fixed-size object that reads like a
// flat string (escaping, JSON.stringify and joins read it directly), while the characters live in one
// large block the collector does not copy. Measured on the benchmark board (old and new code interleaved in
// one process): the build took 5–8 % less CPU time than with one flattened string per event.

/** Texts per joined block: big enough to amortise the join, small enough to stay in the CPU cache. */
const TEXTS_PER_BLOCK = 4096;

export class TextSlab<T extends { text: string }> {
  private pieces: string[] = [];
  private owners: T[] = [];
  private readonly ends = new Int32Array(TEXTS_PER_BLOCK);
  private length = 0;

  /** Gives `owner` this text (set on `owner.text` when the block is cut, at the latest by `finish`). */
  add(owner: T, text: string): void {
    this.pieces.push(text);
    this.length += text.length;
    this.ends[this.owners.length] = this.length;
    this.owners.push(owner);
    if (this.owners.length === TEXTS_PER_BLOCK) this.cut();
  }

  /** Hands out every pending text. */
  finish(): void {
    if (this.owners.length > 0) this.cut();
  }

  private cut(): void {
    const block = this.pieces.join('');
    const { owners, ends } = this;
    let start = 0;
    for (let i = 0; i < owners.length; i++) {
      const end = ends[i] as number;
      (owners[i] as T).text = block.slice(start, end);
      start = end;
    }
    this.pieces = [];
    this.owners = [];
    this.length = 0;
  }
}
