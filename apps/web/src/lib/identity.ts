// What this browser remembers: who I am (session token, name, colour) and the boards I opened with their
// tokens (board secrets stay in localStorage and URL fragments, never in URLs sent to the server).
import type { Access, SessionUser } from '@redstring/model';

const IDENTITY_KEY = 'redstring.identity.v1';
const BOARDS_KEY = 'redstring.boards.v1';

export interface StoredIdentity {
  sessionToken: string;
  user: SessionUser;
}

export interface StoredBoard {
  boardId: string;
  /** The best token we hold (editor beats viewer). */
  token: string;
  access: Access;
  /** Known only to whoever created the board. */
  viewerToken?: string;
  editorToken?: string;
  title?: string;
  lastOpenedAt: number;
}

export function loadIdentity(storage: Storage = localStorage): StoredIdentity | undefined {
  try {
    const raw = JSON.parse(storage.getItem(IDENTITY_KEY) ?? 'null') as StoredIdentity | null;
    if (raw && typeof raw.sessionToken === 'string' && typeof raw.user?.userId === 'string') return raw;
  } catch {
    // Corrupt entry: ask again.
  }
  return undefined;
}

export function saveIdentity(identity: StoredIdentity, storage: Storage = localStorage): void {
  storage.setItem(IDENTITY_KEY, JSON.stringify(identity));
}

export function loadBoards(storage: Storage = localStorage): Record<string, StoredBoard> {
  try {
    const raw = JSON.parse(storage.getItem(BOARDS_KEY) ?? '{}') as Record<string, StoredBoard>;
    return raw && typeof raw === 'object' ? raw : {};
  } catch {
    return {};
  }
}

export function rememberBoard(entry: Omit<StoredBoard, 'lastOpenedAt'> & { lastOpenedAt?: number }, storage: Storage = localStorage): StoredBoard {
  const boards = loadBoards(storage);
  const old = boards[entry.boardId];
  // Never downgrade: opening a view link must not forget an edit token we already have.
  const keepOld = old && old.access === 'editor' && entry.access === 'viewer';
  const merged: StoredBoard = {
    ...old,
    ...entry,
    token: keepOld ? old.token : entry.token,
    access: keepOld ? old.access : entry.access,
    viewerToken: entry.viewerToken ?? old?.viewerToken,
    editorToken: entry.editorToken ?? old?.editorToken ?? (entry.access === 'editor' ? entry.token : undefined),
    title: entry.title ?? old?.title,
    lastOpenedAt: entry.lastOpenedAt ?? Date.now(),
  };
  boards[entry.boardId] = merged;
  storage.setItem(BOARDS_KEY, JSON.stringify(boards));
  return merged;
}

/** Reads `#edit=<token>` or `#view=<token>` from a URL fragment. */
export function parseBoardFragment(hash: string): { token: string; access: Access } | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const edit = params.get('edit');
  if (edit) return { token: edit, access: 'editor' };
  const view = params.get('view');
  if (view) return { token: view, access: 'viewer' };
  return undefined;
}

export function boardLink(origin: string, boardId: string, token: string, access: Access): string {
  return `${origin}/b/${encodeURIComponent(boardId)}#${access === 'editor' ? 'edit' : 'view'}=${encodeURIComponent(token)}`;
}
