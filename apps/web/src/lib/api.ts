// The sync server's HTTP API (same origin). Errors come back as { error: { code, message } }.
import type { BoardSummary, CreateBoardReply, SessionReply } from '@redstring/model';
import { BoardTokenHeader, HttpPaths, SessionTokenHeader } from '@redstring/model';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the Redstring server. Check your connection.');
  }
  if (!response.ok) {
    let code = `http-${response.status}`;
    let message = response.statusText || 'Request failed';
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    } catch {
      // Not JSON: keep the status text.
    }
    throw new ApiError(response.status, code, message);
  }
  return (await response.json()) as T;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export function createSession(name: string, color: string, sessionToken?: string): Promise<SessionReply> {
  return request<SessionReply>(HttpPaths.session, json(sessionToken ? { name, color, sessionToken } : { name, color }));
}

export function createBoard(sessionToken: string, title?: string): Promise<CreateBoardReply> {
  return request<CreateBoardReply>(HttpPaths.boards, json(title ? { title } : {}, { [SessionTokenHeader]: sessionToken }));
}

export function listBoards(sessionToken: string, q = '', limit = 50): Promise<BoardSummary[]> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (q.trim()) params.set('q', q.trim());
  return request<BoardSummary[]>(`${HttpPaths.boards}?${params}`, { headers: { [SessionTokenHeader]: sessionToken } });
}

export type ExportFormat = 'markdown' | 'json' | 'csv';

export async function downloadExport(boardId: string, boardToken: string, format: ExportFormat): Promise<{ blob: Blob; filename: string }> {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const params = new URLSearchParams({ format });
  if (tz) params.set('tz', tz);
  let response: Response;
  try {
    response = await fetch(`${HttpPaths.boardExport(boardId)}?${params}`, { headers: { [BoardTokenHeader]: boardToken } });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the Redstring server to export.');
  }
  if (!response.ok) throw new ApiError(response.status, `http-${response.status}`, `Export failed (${response.status})`);
  const blob = await response.blob();
  const ext = format === 'markdown' ? 'md' : format;
  const disposition = response.headers.get('content-disposition') ?? '';
  const named = /filename="?([^";]+)"?/.exec(disposition)?.[1];
  return { blob, filename: named ?? `redstring-${boardId}.${ext}` };
}

/** Saves a blob through a temporary link (the file lands in the browser's downloads). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
