// The HTTP API: sessions, boards, search, metadata, export, health, metrics, and serving the web build.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoardDoc, BoardTokenHeader, HttpPaths, SessionTokenHeader, type BoardSummary } from '@redstring/model';
import { createBoard, createSession, exportBoard, userWithBoard } from './helpers/api';
import { connectBoard } from './helpers/board-client';
import { startTestServer, tempDataDir } from './helpers/test-server';

async function json(res: Response): Promise<any> {
  return res.json();
}

describe('HTTP API', () => {
  it('validates bodies with clear errors', async () => {
    const server = await startTestServer({ limits: { maxHttpBodyBytes: 2048 } });
    const post = (body: string, type = 'application/json') =>
      fetch(server.url + HttpPaths.session, { method: 'POST', headers: { 'content-type': type }, body });
    const badJson = await post('{"name": "Ana",');
    expect(badJson.status).toBe(400);
    expect((await json(badJson)).error).toMatchObject({ code: 'bad-json', message: expect.stringContaining('not valid JSON') });
    const missingName = await post('{"color": "#fff"}');
    expect(missingName.status).toBe(400);
    expect((await json(missingName)).error.message).toMatch(/name/);
    expect((await post(JSON.stringify({ name: 'x'.repeat(5000), color: '#fff' }))).status).toBe(413);
    expect((await post('name=Ana', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await fetch(server.url + HttpPaths.session)).status).toBe(405);
    expect((await fetch(server.url + '/api/nothing-here')).status).toBe(404);
    expect((await fetch(server.url + HttpPaths.boards, { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('lists and searches the boards a user opened, by title and by card text', async () => {
    const server = await startTestServer({ summaryRefreshDelayMs: 20 });
    const { session, board } = await userWithBoard(server.url, 'Ana', 'Checkout latency spike');
    await createBoard(server.url, session.sessionToken, 'Flaky login alert');
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    const doc = new BoardDoc(client.doc, { actor: { userId: session.user.userId, name: 'Ana' } });
    doc.createCard({ kind: 'hypothesis', title: 'Cache eviction storm', body: 'after deploy 8812' });
    doc.touchParticipant({ name: 'Ana', color: '#e4572e' });
    await client.allSaved();

    const list = async (query?: string, token = session.sessionToken): Promise<BoardSummary[]> => {
      const res = await fetch(`${server.url}${HttpPaths.boards}${query ? `?q=${encodeURIComponent(query)}` : ''}`, {
        headers: { [SessionTokenHeader]: token },
      });
      expect(res.status).toBe(200);
      return json(res);
    };
    // The search text is refreshed shortly after stores (summaryRefreshDelayMs).
    let hits: BoardSummary[] = [];
    for (let i = 0; i < 100 && hits.length === 0; i++) {
      hits = await list('DEPLOY 8812');
      if (hits.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(hits.map((b) => b.boardId)).toEqual([board.boardId]);
    expect(hits[0]).toMatchObject({ cardCount: 1, participants: ['Ana'], access: 'editor' });
    expect((await list('flaky')).map((b) => b.title)).toEqual(['Flaky login alert']);
    expect(await list()).toHaveLength(2);
    // Another user has opened none of them.
    expect(await list(undefined, (await createSession(server.url, 'Bo')).sessionToken)).toEqual([]);
    client.destroy();
  });

  it('serves board metadata and exports only with a token for that board', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url, 'Ana', 'Checkout latency spike');
    const other = await createBoard(server.url, session.sessionToken, 'Other');
    const get = (token?: string, id = board.boardId) =>
      fetch(server.url + HttpPaths.board(id), { headers: token ? { [BoardTokenHeader]: token } : {} });
    expect((await get()).status).toBe(403);
    expect((await get(other.editorToken)).status).toBe(403);
    expect((await get(board.editorToken, 'missing-board')).status).toBe(404);
    const viewer = await get(board.viewerToken);
    expect(viewer.status).toBe(200);
    expect(await json(viewer)).toMatchObject({ boardId: board.boardId, title: 'Checkout latency spike', access: 'viewer' });

    const formats = [
      ['markdown', 'text/markdown; charset=utf-8', 'checkout-latency-spike-timeline.md'],
      ['json', 'application/json; charset=utf-8', 'checkout-latency-spike-timeline.json'],
      ['csv', 'text/csv; charset=utf-8', 'checkout-latency-spike-timeline.csv'],
    ] as const;
    for (const [format, type, filename] of formats) {
      const res = await exportBoard(server.url, board.boardId, board.viewerToken, format);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-disposition')).toContain(`filename="${filename}"`);
      const body = await res.text();
      if (format === 'json') expect(JSON.parse(body).board.title).toBe('Checkout latency spike');
      else expect(body).toContain(format === 'csv' ? ',' : 'Checkout latency spike');
    }
    expect((await exportBoard(server.url, board.boardId, other.editorToken, 'json')).status).toBe(403);
    const badZone = await fetch(`${server.url}${HttpPaths.boardExport(board.boardId)}?tz=Mars/Olympus`, {
      headers: { [BoardTokenHeader]: board.editorToken },
    });
    expect(badZone.status).toBe(400);
  });

  it('answers health, time and Prometheus metrics', async () => {
    const server = await startTestServer();
    const { session, board } = await userWithBoard(server.url);
    const client = connectBoard({ wsUrl: server.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    new BoardDoc(client.doc, { actor: { userId: session.user.userId, name: 'Ana' } }).createCard({ kind: 'note', title: 'n' });
    await client.allSaved();
    expect(await json(await fetch(server.url + HttpPaths.health))).toMatchObject({ status: 'ok' });
    const { serverTime } = await json(await fetch(server.url + HttpPaths.time));
    expect(Math.abs(serverTime - Date.now())).toBeLessThan(1000);
    const metrics = await (await fetch(server.url + HttpPaths.metrics)).text();
    expect(metrics).toMatch(/^redstring_board_connections 1$/m);
    expect(metrics).toMatch(/^redstring_loaded_boards 1$/m);
    expect(metrics).toMatch(/^redstring_full_state_cache_bytes \d+$/m);
    expect(metrics).toMatch(/^redstring_updates_applied_total [1-9]/m);
    expect(metrics).toMatch(/^redstring_store_latency_seconds_count [1-9]/m);
    expect(metrics).toMatch(/^redstring_callouts_pending 0$/m);
    expect(metrics).toContain('redstring_updates_per_second');
    client.destroy();
  });

  it('serves the web build through its handler.js, or a page saying how to build it', async () => {
    const missing = await startTestServer({ webBuildDir: join(tempDataDir(), 'no-build') });
    const page = await fetch(missing.url + '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('pnpm --filter @redstring/web build');

    // A minimal adapter-node style build: handler(req, res, next).
    const buildDir = join(tempDataDir(), 'build');
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(
      join(buildDir, 'handler.js'),
      `export function handler(req, res, next) {
        if (req.url.startsWith('/b/')) { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<h1>board page</h1>'); }
        else next();
      }\n`,
    );
    const built = await startTestServer({ webBuildDir: buildDir });
    expect(await (await fetch(built.url + '/b/some-board')).text()).toBe('<h1>board page</h1>');
    expect((await fetch(built.url + '/elsewhere')).status).toBe(404);
    expect((await fetch(built.url + HttpPaths.health)).status).toBe(200);
  });
});
