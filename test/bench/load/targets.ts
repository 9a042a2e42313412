// How a load client reaches one board on each kind of server. Redstring needs a session, a board created
// over HTTP and a Hello frame; the stock server and the relay take any path as the document name.
import { randomUUID } from 'node:crypto';
import { HttpPaths, SessionTokenHeader, type CreateBoardReply, type SessionReply } from './protocol';
import { helloMessage } from './messages';

export type ServerKind = 'ours' | 'stock' | 'relay';

export interface ServerEndpoint {
  kind: ServerKind;
  /** http://127.0.0.1:port */
  httpUrl: string;
  pid: number;
}

export interface BoardTarget {
  boardId: string;
  wsUrl: string;
  /** The Hello frame payload to send first (Redstring only). */
  hello: Uint8Array | null;
  /** Board secret (Redstring only), for socket.io board:join. */
  boardToken: string | null;
  /** Whether the server answers sync step 1 (a relay keeps no document, so it never does). */
  syncs: boolean;
}

export interface Session {
  token: string;
  userId: string;
  name: string;
}

async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function createSession(server: ServerEndpoint, name: string): Promise<Session | null> {
  if (server.kind !== 'ours') return null;
  const reply = await postJson<SessionReply>(`${server.httpUrl}${HttpPaths.session}`, { name, color: '#2e86de' });
  return { token: reply.sessionToken, userId: reply.user.userId, name: reply.user.name };
}

/** Creates a board (Redstring) or picks a fresh document name (stock, relay). */
export async function createBoard(server: ServerEndpoint, session: Session | null, title: string): Promise<BoardTarget> {
  const wsBase = server.httpUrl.replace(/^http/, 'ws');
  if (server.kind !== 'ours') {
    const boardId = `bench-${randomUUID()}`;
    return { boardId, wsUrl: `${wsBase}/${boardId}`, hello: null, boardToken: null, syncs: server.kind === 'stock' };
  }
  if (!session) throw new Error('Redstring boards need a session');
  const reply = await postJson<CreateBoardReply>(
    `${server.httpUrl}${HttpPaths.boards}`,
    { title },
    { [SessionTokenHeader]: session.token },
  );
  return {
    boardId: reply.boardId,
    wsUrl: `${wsBase}${HttpPaths.boardSocket(reply.boardId)}`,
    hello: null,
    boardToken: reply.editorToken,
    syncs: true,
  };
}

/** The same board as seen by another user (their own Hello). */
export function boardFor(target: BoardTarget, session: Session | null): BoardTarget {
  if (!target.boardToken || !session) return target;
  return { ...target, hello: helloMessage(target.boardToken, session.token) };
}
