import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffText } from './text-diff';

function apply(text: string, edit: { index: number; deleteCount: number; insert: string }): string {
  return text.slice(0, edit.index) + edit.insert + text.slice(edit.index + edit.deleteCount);
}

describe('minimal text diff', () => {
  it('finds insertions, deletions and replacements', () => {
    expect(diffText('hello world', 'hello brave world')).toEqual({ index: 6, deleteCount: 0, insert: 'brave ' });
    expect(diffText('hello brave world', 'hello world')).toEqual({ index: 6, deleteCount: 6, insert: '' });
    expect(diffText('cache hit', 'cache miss')).toEqual({ index: 6, deleteCount: 3, insert: 'miss' });
    expect(diffText('same', 'same')).toBeUndefined();
  });

  it('uses the caret to place an ambiguous insertion where the user typed', () => {
    // Typing "a" at the start of "aa": without the caret it would look like an append.
    expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, deleteCount: 0, insert: 'a' });
  });

  it('never splits a surrogate pair', () => {
    const before = 'x😀y';
    const after = 'x😃y';
    const edit = diffText(before, after)!;
    expect(apply(before, edit)).toBe(after);
    expect(edit.insert).toBe('😃');
  });

  it('lets two people typing in one text merge instead of overwriting', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('t').insert(0, 'rollback deploy');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const ta = a.getText('t');
    const tb = b.getText('t');
    const ea = diffText(ta.toString(), 'rollback deploy 8812')!;
    ta.insert(ea.index, ea.insert);
    const eb = diffText(tb.toString(), 'urgent: rollback deploy')!;
    tb.insert(eb.index, eb.insert);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(ta.toString()).toBe('urgent: rollback deploy 8812');
    expect(tb.toString()).toBe(ta.toString());
  });
});
