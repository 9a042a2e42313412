// The few HTTP calls the fault suite needs: a session, a board, and the server's metrics.
import {
  HttpPaths,
  SessionTokenHeader,
  type CreateBoardReply,
  type SessionReply,
} from '@redstring/model';

export async function createSession(baseUrl: string, name: string, color = '#c0392b'): Promise<SessionReply> {
  const response = await fetch(baseUrl + HttpPaths.session, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, color }),
  });
  if (!response.ok) throw new Error(`POST ${HttpPaths.session} → ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionReply;
}

export async function createBoard(baseUrl: string, sessionToken: string, title: string): Promise<CreateBoardReply> {
  const response = await fetch(baseUrl + HttpPaths.boards, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SessionTokenHeader]: sessionToken },
    body: JSON.stringify({ title }),
  });
  if (!response.ok) throw new Error(`POST ${HttpPaths.boards} → ${response.status} ${await response.text()}`);
  return (await response.json()) as CreateBoardReply;
}

/** A user with a session and a board of their own: the starting point of most rows. */
export interface BoardFixture {
  sessionToken: string;
  userId: string;
  board: CreateBoardReply;
}

export async function boardFixture(baseUrl: string, title: string, userName = 'Ana'): Promise<BoardFixture> {
  const session = await createSession(baseUrl, userName);
  const board = await createBoard(baseUrl, session.sessionToken, title);
  return { sessionToken: session.sessionToken, userId: session.user.userId, board };
}

/** Parses Prometheus text into name{labels} → value. */
export async function fetchMetrics(baseUrl: string): Promise<Map<string, number>> {
  const response = await fetch(baseUrl + HttpPaths.metrics);
  if (!response.ok) throw new Error(`GET ${HttpPaths.metrics} → ${response.status}`);
  const out = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

export async function isHealthy(baseUrl: string): Promise<boolean> {
  try {
    return (await fetch(baseUrl + HttpPaths.health)).ok;
  } catch {
    return false;
  }
}
