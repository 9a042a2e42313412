// Binds a <textarea> to a card's Y.Text: my typing becomes minimal edits (so two people typing in one
// card merge instead of overwriting), and others' edits update the box without moving my caret.
import * as Y from 'yjs';
import type { BoardDoc } from '@redstring/model';
import { diffText } from './text-diff';

export type CardTextField = 'title' | 'body';

export class TextBinding {
  private relStart: Y.RelativePosition | undefined;
  private relEnd: Y.RelativePosition | undefined;
  private readonly disposers: (() => void)[] = [];
  private composing = false;

  constructor(
    private readonly el: HTMLTextAreaElement | HTMLInputElement,
    private readonly text: Y.Text,
    private readonly boardDoc: BoardDoc,
    private readonly cardId: string,
    private readonly field: CardTextField,
  ) {
    el.value = text.toString();
    const onInput = () => {
      if (this.composing) return;
      this.pushLocal();
    };
    const onSelect = () => this.rememberSelection();
    const onCompositionStart = () => (this.composing = true);
    const onCompositionEnd = () => {
      this.composing = false;
      this.pushLocal();
    };
    el.addEventListener('input', onInput);
    for (const type of ['select', 'keyup', 'mouseup', 'focus'] as const) el.addEventListener(type, onSelect);
    el.addEventListener('compositionstart', onCompositionStart);
    el.addEventListener('compositionend', onCompositionEnd);
    const observer = (_event: Y.YTextEvent, tr: Y.Transaction) => {
      if (tr.origin === this.boardDoc.origin && tr.local) return; // my own typing is already in the box
      this.pullRemote();
    };
    text.observe(observer);
    this.disposers.push(
      () => el.removeEventListener('input', onInput),
      () => {
        for (const type of ['select', 'keyup', 'mouseup', 'focus'] as const) el.removeEventListener(type, onSelect);
      },
      () => el.removeEventListener('compositionstart', onCompositionStart),
      () => el.removeEventListener('compositionend', onCompositionEnd),
      () => text.unobserve(observer),
    );
    this.rememberSelection();
  }

  destroy(): void {
    for (const d of this.disposers) d();
  }

  private pushLocal(): void {
    const before = this.text.toString();
    const after = this.el.value;
    const edit = diffText(before, after, this.el.selectionEnd ?? undefined);
    if (edit) this.boardDoc.editText(this.cardId, this.field, edit.index, edit.deleteCount, edit.insert);
    this.rememberSelection();
  }

  private pullRemote(): void {
    const value = this.text.toString();
    if (this.el.value === value) return;
    this.el.value = value;
    const doc = this.text.doc;
    if (!doc || !this.relStart || !this.relEnd || document.activeElement !== this.el) return;
    const start = Y.createAbsolutePositionFromRelativePosition(this.relStart, doc);
    const end = Y.createAbsolutePositionFromRelativePosition(this.relEnd, doc);
    if (start && end) this.el.setSelectionRange(start.index, end.index);
  }

  private rememberSelection(): void {
    this.relStart = Y.createRelativePositionFromTypeIndex(this.text, this.el.selectionStart ?? 0);
    this.relEnd = Y.createRelativePositionFromTypeIndex(this.text, this.el.selectionEnd ?? 0);
  }
}
