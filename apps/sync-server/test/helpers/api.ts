// HTTP API calls the tests make, typed with the wire contract.
import {
  BoardTokenHeader,
  HttpPaths,
  SessionTokenHeader,
  type CreateBoardReply,
  type SessionReply,
} from '@redstring/model';

export async function createSession(baseUrl: string, name: string, color = '#e4572e'): Promise<SessionReply> {
  const res = await fetch(baseUrl + HttpPaths.session, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, color }),
  });
  if (res.status !== 200) throw new Error(`POST /api/session: ${res.status} ${await res.text()}`);
  return (await res.json()) as SessionReply;
}

export async function createBoard(baseUrl: string, sessionToken: string, title = 'Checkout latency spike'): Promise<CreateBoardReply> {
  const res = await fetch(baseUrl + HttpPaths.boards, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SessionTokenHeader]: sessionToken },
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`POST /api/boards: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreateBoardReply;
}

export async function exportBoard(
  baseUrl: string,
  boardId: string,
  boardToken: string,
  format: 'markdown' | 'json' | 'csv',
): Promise<Response> {
  return fetch(`${baseUrl}${HttpPaths.boardExport(boardId)}?format=${format}`, { headers: { [BoardTokenHeader]: boardToken } });
}

/** A user with a session and a board they created. */
export async function userWithBoard(baseUrl: string, name = 'Ana', title?: string) {
  const session = await createSession(baseUrl, name);
  const board = await createBoard(baseUrl, session.sessionToken, title);
  return { session, board };
}
