// Boards as the HTTP API sees them: creation (with share tokens), listing and search, metadata, and the
// timeline export built by the model from the document plus the server's callout and role records.
import * as Y from 'yjs';
import {
  BoardDoc,
  DEFAULT_BOARD_TITLE,
  TITLE_MAX_LENGTH,
  buildTimeline,
  exportCsv,
  exportJson,
  exportMarkdown,
  newId,
  type Access,
  type BoardSummary,
  type CreateBoardReply,
  type SessionUser,
} from '@redstring/model';
import { hashBoardToken, looksLikeBoardToken, newBoardToken } from '../access/board-tokens';
import type { MemberRegistry } from '../access/member-registry';
import type { BoardRecord, Storage } from '../storage/storage';
import type { BoardHub } from '../sync/board-hub';
import { BoardNotFound, loadBoardDoc } from '../sync/load-board-doc';
import { readBoardSnapshot } from './board-summary';

export const EXPORT_FORMATS = {
  markdown: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  json: { contentType: 'application/json; charset=utf-8', extension: 'json' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

export interface ExportedTimeline {
  body: string;
  contentType: string;
  filename: string;
}

export class BoardService {
  constructor(
    private readonly storage: Storage,
    private readonly hub: BoardHub,
    private readonly members: MemberRegistry,
    private readonly clock: () => number,
  ) {}

  async create(user: SessionUser, title: string | undefined): Promise<CreateBoardReply> {
    const boardId = newId();
    const editorToken = newBoardToken();
    const viewerToken = newBoardToken();
    const now = this.clock();
    const cleanTitle = (title ?? '').trim() || DEFAULT_BOARD_TITLE;
    // The server writes the board's meta once, so every stored board has a non-empty first state.
    const doc = new Y.Doc();
    BoardDoc.initialize(doc, { id: boardId, title: cleanTitle.slice(0, TITLE_MAX_LENGTH), createdBy: user.userId, createdAt: now });
    const initialState = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    await this.storage.createBoard({
      id: boardId,
      title: cleanTitle,
      createdAt: now,
      createdBy: user.userId,
      editorTokenHash: hashBoardToken(editorToken),
      viewerTokenHash: hashBoardToken(viewerToken),
      initialState,
    });
    await this.members.record({ userId: user.userId, userName: user.name, boardId, access: 'editor' });
    return {
      boardId,
      editorToken,
      viewerToken,
      editorLink: `/b/${boardId}#edit=${editorToken}`,
      viewerLink: `/b/${boardId}#view=${viewerToken}`,
    };
  }

  /** The access a board token grants to `boardId`, or null (wrong token, other board's token). */
  async accessFor(boardId: string, token: unknown): Promise<Access | null> {
    if (!looksLikeBoardToken(token)) return null;
    const grant = await this.storage.findBoardByTokenHash(hashBoardToken(token));
    return grant && grant.boardId === boardId ? grant.access : null;
  }

  async list(userId: string, query: string | undefined, limit: number): Promise<BoardSummary[]> {
    const rows = await this.storage.listBoardsForUser(userId, { query, limit });
    // The caller opened these boards with a token before: they learn their own access level.
    return rows.map((row) => ({ ...toSummary(row), access: row.access }));
  }

  async summary(boardId: string, access: Access): Promise<BoardSummary | null> {
    const row = await this.storage.getBoard(boardId);
    return row ? { ...toSummary(row), access } : null;
  }

  async exportTimeline(boardId: string, format: ExportFormat, timeZone: string | undefined): Promise<ExportedTimeline | null> {
    const board = await this.readBoard(boardId);
    if (!board) return null;
    const [callouts, roles] = await Promise.all([this.storage.listCallouts(boardId), this.storage.listRoleAssignments(boardId)]);
    const timeline = buildTimeline({ board, callouts, roles }, { now: this.clock() });
    const options = timeZone ? { timeZone } : {};
    const body =
      format === 'markdown' ? exportMarkdown(timeline, options) : format === 'json' ? exportJson(timeline) : exportCsv(timeline, options);
    const { contentType, extension } = EXPORT_FORMATS[format];
    return { body, contentType, filename: `${slug(board.meta.title)}-timeline.${extension}` };
  }

  /** The loaded document if the board is open (it has the newest edits), else what storage holds. */
  private async readBoard(boardId: string) {
    const loaded = this.hub.loadedDoc(boardId);
    if (loaded) return readBoardSnapshot(loaded);
    let stored;
    try {
      stored = await loadBoardDoc(this.storage, boardId);
    } catch (error) {
      if (error instanceof BoardNotFound) return null;
      throw error;
    }
    try {
      return readBoardSnapshot(stored.doc);
    } finally {
      stored.doc.destroy();
    }
  }
}

function toSummary(row: BoardRecord): BoardSummary {
  return {
    boardId: row.id,
    title: row.title,
    status: row.status,
    createdAt: row.createdAt,
    lastActivityAt: row.lastActivityAt,
    participants: row.participants,
    cardCount: row.cardCount,
  };
}

/** A filename-safe version of a board title ("Checkout latency spike" → "checkout-latency-spike"). */
export function slug(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return ascii || 'board';
}
