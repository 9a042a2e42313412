// Everything one open board needs, wired together: the live document and its connection, the model's
// operations, an incremental read model for the canvas, undo of only my own changes, and presence.
import * as Y from 'yjs';
import { BoardDoc, BOARD_DOC_TYPES } from '@redstring/model';
import type { SessionUser } from '@redstring/model';
import { BoardConnection } from '../sync/board-connection';
import { BoardMirror } from './board-mirror';
import type { PresenceState, RemotePeer } from '../ui/presence';
import { isPresenceState, throttleLatest } from '../ui/presence';
import type { Point } from '../canvas/geometry';
import type { Viewport } from '../canvas/viewport';

export interface BoardSessionOptions {
  boardId: string;
  boardToken: string;
  sessionToken: string;
  user: SessionUser;
  /** Server time (ms); corrects times this client writes into the board. */
  clock: () => number;
}

export class BoardSession {
  readonly connection: BoardConnection;
  readonly boardDoc: BoardDoc;
  readonly mirror: BoardMirror;
  readonly undoManager: Y.UndoManager;
  private readonly publishCursor: (cursor: Point | null) => void;
  private readonly publishView: (view: PresenceState['view']) => void;
  private readonly peerListeners = new Set<() => void>();
  private peersCache: RemotePeer[] = [];

  constructor(readonly options: BoardSessionOptions) {
    this.connection = new BoardConnection({ boardId: options.boardId, boardToken: options.boardToken, sessionToken: options.sessionToken });
    const doc = this.connection.doc;
    this.boardDoc = new BoardDoc(doc, { actor: { userId: options.user.userId, name: options.user.name }, clock: options.clock });
    this.mirror = new BoardMirror(doc, (origin) => origin === this.boardDoc.origin);
    // Only transactions with my BoardDoc's origin are undoable: never another responder's work.
    this.undoManager = new Y.UndoManager(
      [doc.getMap(BOARD_DOC_TYPES.cards), doc.getMap(BOARD_DOC_TYPES.links), doc.getArray(BOARD_DOC_TYPES.statusLog), doc.getMap(BOARD_DOC_TYPES.meta)],
      { trackedOrigins: new Set([this.boardDoc.origin]), captureTimeout: 400 },
    );

    const awareness = this.connection.awareness;
    const initial: PresenceState = { user: options.user, cursor: null, editingCardId: null, selection: [], view: null };
    awareness.setLocalState(initial);
    this.publishCursor = throttleLatest((cursor) => awareness.setLocalStateField('cursor', cursor), 33);
    this.publishView = throttleLatest((view) => awareness.setLocalStateField('view', view), 150);
    awareness.on('change', () => {
      this.peersCache = this.readPeers();
      for (const l of this.peerListeners) l();
    });
  }

  get me(): SessionUser {
    return this.options.user;
  }

  peers(): RemotePeer[] {
    return this.peersCache;
  }

  onPeersChange(listener: () => void): () => void {
    this.peerListeners.add(listener);
    return () => this.peerListeners.delete(listener);
  }

  setCursor(p: Point | null): void {
    this.publishCursor(p ? { x: Math.round(p.x), y: Math.round(p.y) } : null);
  }

  setView(viewport: Viewport, width: number, height: number): void {
    this.publishView({ viewport, width, height });
  }

  setEditing(cardId: string | null): void {
    this.connection.awareness.setLocalStateField('editingCardId', cardId);
  }

  setSelection(ids: string[]): void {
    this.connection.awareness.setLocalStateField('selection', ids.slice(0, 200));
  }

  /** Record me in the board's participant list (with my clock offset, for the timeline). */
  touchParticipant(clockOffsetMs?: number): void {
    if (!this.connection.editable) return;
    this.boardDoc.touchParticipant({ name: this.me.name, color: this.me.color, ...(clockOffsetMs !== undefined ? { clockOffsetMs } : {}) });
  }

  destroy(): void {
    this.undoManager.destroy();
    this.mirror.destroy();
    this.connection.awareness.setLocalState(null);
    this.connection.destroy();
    this.peerListeners.clear();
  }

  private readPeers(): RemotePeer[] {
    const peers: RemotePeer[] = [];
    for (const [clientId, state] of this.connection.awareness.getStates()) {
      if (clientId === this.connection.doc.clientID || !isPresenceState(state)) continue;
      peers.push({
        clientId,
        user: state.user,
        cursor: state.cursor ?? null,
        editingCardId: state.editingCardId ?? null,
        selection: Array.isArray(state.selection) ? state.selection : [],
        view: state.view ?? null,
      });
    }
    return peers;
  }
}
