import { describe, expect, it } from 'vitest';
import { TextSlab } from './text-slab';

interface Owner {
  text: string;
}

describe('TextSlab', () => {
  it('gives every owner exactly its text, across many joined blocks and a last partial one', () => {
    const slab = new TextSlab<Owner>();
    const expected: string[] = [];
    const owners: Owner[] = [];
    for (let i = 0; i < 10_000; i++) {
      // Empty, short (copied) and long (sliced) texts, some outside Latin-1, some built from fragments.
      const text = i % 7 === 0 ? '' : i % 3 === 0 ? `#${i}` : `Hypothesis "h-${i}": open → ruled out — step ${'x'.repeat(i % 40)}`;
      const owner = { text: '' };
      slab.add(owner, text);
      owners.push(owner);
      expected.push(text);
    }
    slab.finish();
    expect(owners.map((o) => o.text)).toEqual(expected);
  });

  it('joins a text handed over in pieces, and an owner started with no piece gets an empty text', () => {
    const slab = new TextSlab<Owner>();
    const owners: Owner[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 9_000; i++) {
      const owner = { text: 'unset' };
      owners.push(owner);
      slab.start(owner);
      const pieces = i % 5 === 0 ? [] : [`Hypothesis "h-${i}": `, 'open → ruled out', i % 2 ? ` — step ${i}` : ''];
      for (const piece of pieces) slab.append(piece);
      expected.push(pieces.join(''));
    }
    slab.finish();
    expect(owners.map((o) => o.text)).toEqual(expected);
  });

  it('hands out nothing twice: a finish after the last block has no effect', () => {
    const slab = new TextSlab<Owner>();
    const owner = { text: '' };
    slab.add(owner, 'only');
    slab.finish();
    owner.text = 'changed by its owner';
    slab.finish();
    expect(owner.text).toBe('changed by its owner');
  });
});
