// "Nothing a user was told is saved may be lost": the real server process, stopped with SIGTERM and
// killed with SIGKILL right after a client was told "saved", then restarted on the same data directory.
import { describe, expect, it } from 'vitest';
import { BoardDoc, CloseCode, newId } from '@redstring/model';
import { userWithBoard } from './helpers/api';
import { connectBoard, waitFor, type TestBoardClient } from './helpers/board-client';
import { startChildServer } from './helpers/child-server';
import { tempDataDir } from './helpers/test-server';

/** Creates cards until stopped, remembering which ones each numbered frame covered. */
function keepEditing(client: TestBoardClient) {
  const doc = new BoardDoc(client.doc, { actor: { userId: 'u-ana', name: 'Ana' } });
  const created: string[] = [];
  const coveredBySeq = new Map<number, number>();
  client.onNumberedSend = (seq) => coveredBySeq.set(seq, created.length);
  let running = true;
  const loop = (async () => {
    while (running) {
      const id = newId();
      // Pushed first: the frame carrying this card is sent from inside createCard.
      created.push(id);
      doc.createCard({ id, kind: 'evidence', title: `observation ${created.length}` });
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    created,
    /** Cards contained in frames 1..seq. */
    confirmed: (seq: number) => created.slice(0, coveredBySeq.get(seq) ?? 0),
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function cardIdsOn(url: string, wsUrl: string, boardId: string, boardToken: string, sessionToken: string): Promise<Set<string>> {
  void url;
  const reader = connectBoard({ wsUrl, boardId, boardToken, sessionToken });
  await reader.synced(15_000);
  const ids = new Set(new BoardDoc(reader.doc, { actor: { userId: 'reader', name: 'Reader' } }).read().board.cards.map((c) => c.id));
  reader.destroy();
  return ids;
}

describe('restarts', () => {
  it('SIGTERM stores everything, tells clients ServerShutdown, exits 0; confirmed edits survive', async () => {
    const dataDir = tempDataDir();
    const first = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const { session, board } = await userWithBoard(first.url);
    const client = connectBoard({ wsUrl: first.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    const editing = keepEditing(client);
    await waitFor(() => client.events.saved >= 20, 10_000, '20 saved updates');
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await editing.stop();
    expect(client.events.closes.map((c) => c.code)).toContain(CloseCode.ServerShutdown);
    const confirmed = editing.confirmed(client.events.saved);
    expect(confirmed.length).toBeGreaterThanOrEqual(19);
    client.destroy();

    const second = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const stored = await cardIdsOn(second.url, second.wsUrl, board.boardId, board.editorToken, session.sessionToken);
    expect(confirmed.filter((id) => !stored.has(id))).toEqual([]);
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('SIGKILL right after "saved": every confirmed update is there after the restart', async () => {
    const dataDir = tempDataDir();
    const first = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const { session, board } = await userWithBoard(first.url);
    const client = connectBoard({ wsUrl: first.wsUrl, boardId: board.boardId, boardToken: board.editorToken, sessionToken: session.sessionToken });
    await client.synced();
    const editing = keepEditing(client);
    let confirmedAtKill: string[] = [];
    // Kill from inside the Saved handler: no time for anything else to reach the disk.
    await new Promise<void>((resolve) => {
      client.onSaved = (seq) => {
        if (seq < 40 || confirmedAtKill.length > 0) return;
        first.process.kill('SIGKILL');
        confirmedAtKill = editing.confirmed(seq);
        resolve();
      };
    });
    expect(await first.exited).toBe('SIGKILL');
    await editing.stop();
    client.destroy();
    expect(confirmedAtKill.length).toBeGreaterThanOrEqual(39);

    const second = await startChildServer({ REDSTRING_DATA_DIR: dataDir });
    const stored = await cardIdsOn(second.url, second.wsUrl, board.boardId, board.editorToken, session.sessionToken);
    expect(confirmedAtKill.filter((id) => !stored.has(id))).toEqual([]);
  });
});
