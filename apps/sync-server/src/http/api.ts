// The JSON API: sessions, boards (create, list/search, metadata, export), server time, health and
// metrics. Board secrets travel in headers, never in URLs (URLs end up in logs and browser history).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BoardTokenHeader,
  HttpPaths,
  ID_PATTERN,
  SessionTokenHeader,
  TITLE_MAX_LENGTH,
  type SessionReply,
  type SessionUser,
} from '@redstring/model';
import { checkProfile, type SessionSigner } from '../access/sessions';
import { EXPORT_FORMATS, type BoardService, type ExportFormat } from '../boards/board-service';
import type { Logger } from '../log';
import { errorFields } from '../log';
import type { Metrics, MetricsSources } from '../metrics';
import type { Storage } from '../storage/storage';
import { HttpError, attachment, readJsonBody, sendError, sendJson, sendText } from './json';

export interface ApiDeps {
  sessions: SessionSigner;
  boards: BoardService;
  storage: Storage;
  metrics: Metrics;
  metricsSources: MetricsSources;
  log: Logger;
  clock: () => number;
  maxBodyBytes: number;
}

const BOARD_PATH = /^\/api\/boards\/([^/]+)(\/export)?$/;
const LIST_LIMIT_DEFAULT = 50;
const LIST_LIMIT_MAX = 200;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(input: unknown): input is Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input);
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Returns true if the request was an API request (handled), false to pass it on (the web app). */
export function createApiHandler(deps: ApiDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const requireUser = (req: IncomingMessage): SessionUser => {
    const check = deps.sessions.verify(header(req, SessionTokenHeader));
    if (!check.ok) throw new HttpError(401, 'unauthorized', `${SessionTokenHeader}: ${check.reason}`);
    return check.user;
  };
  const allow = (req: IncomingMessage, ...methods: string[]): void => {
    if (!methods.includes(req.method ?? '')) throw new HttpError(405, 'method-not-allowed', `use ${methods.join(' or ')}`);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const path = url.pathname;
    if (path === HttpPaths.health) {
      allow(req, 'GET', 'HEAD');
      try {
        await deps.storage.countPendingCallouts();
        sendJson(res, 200, { status: 'ok', serverTime: deps.clock() });
      } catch (error) {
        deps.log.error('health check: storage is not answering', errorFields(error));
        sendJson(res, 503, { status: 'storage-unavailable', serverTime: deps.clock() });
      }
      return true;
    }
    if (path === HttpPaths.metrics) {
      allow(req, 'GET');
      sendText(res, 200, 'text/plain; version=0.0.4; charset=utf-8', await deps.metrics.render(deps.metricsSources));
      return true;
    }
    if (!path.startsWith('/api/')) return false;

    if (path === HttpPaths.time) {
      allow(req, 'GET');
      sendJson(res, 200, { serverTime: deps.clock() });
      return true;
    }
    if (path === HttpPaths.session) {
      allow(req, 'POST');
      const body = await readJsonBody(req, deps.maxBodyBytes);
      if (!isObject(body)) throw new HttpError(400, 'invalid', 'expected a JSON object {name, color, sessionToken?}');
      const profile = checkProfile(body.name, body.color);
      if (!profile.ok) throw new HttpError(400, 'invalid', profile.message);
      // Renewing keeps the user id, so callouts addressed to this person still reach them.
      let userId: string | undefined;
      if (body.sessionToken !== undefined) {
        const previous = deps.sessions.verify(body.sessionToken);
        if (previous.ok) userId = previous.user.userId;
      }
      const issued = deps.sessions.issue({ name: profile.name, color: profile.color }, userId);
      const reply: SessionReply = { sessionToken: issued.token, user: issued.user };
      sendJson(res, 200, reply);
      return true;
    }
    if (path === HttpPaths.boards) {
      allow(req, 'GET', 'POST');
      const user = requireUser(req);
      if (req.method === 'POST') {
        const body = await readJsonBody(req, deps.maxBodyBytes);
        if (body !== undefined && !isObject(body)) throw new HttpError(400, 'invalid', 'expected a JSON object {title?}');
        const title = body?.title;
        if (title !== undefined && (typeof title !== 'string' || title.length > TITLE_MAX_LENGTH)) {
          throw new HttpError(400, 'invalid', `title must be a string of at most ${TITLE_MAX_LENGTH} characters`);
        }
        const created = await deps.boards.create(user, title);
        deps.log.info('board created', { boardId: created.boardId, userId: user.userId });
        sendJson(res, 201, created);
        return true;
      }
      const query = url.searchParams.get('q') ?? undefined;
      if (query !== undefined && query.length > 200) throw new HttpError(400, 'invalid', 'q must be at most 200 characters');
      const rawLimit = url.searchParams.get('limit');
      const limit = rawLimit === null ? LIST_LIMIT_DEFAULT : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT_MAX) {
        throw new HttpError(400, 'invalid', `limit must be an integer from 1 to ${LIST_LIMIT_MAX}`);
      }
      sendJson(res, 200, await deps.boards.list(user.userId, query, limit));
      return true;
    }
    const match = BOARD_PATH.exec(path);
    if (match) {
      allow(req, 'GET');
      const boardId = decodeURIComponent(match[1] ?? '');
      if (!ID_PATTERN.test(boardId)) throw new HttpError(404, 'not-found', 'no such board');
      const access = await deps.boards.accessFor(boardId, header(req, BoardTokenHeader));
      if (!access) {
        const exists = await deps.storage.getBoard(boardId);
        if (!exists) throw new HttpError(404, 'not-found', 'no such board');
        throw new HttpError(403, 'forbidden', `${BoardTokenHeader} is missing or not valid for this board`);
      }
      if (!match[2]) {
        const summary = await deps.boards.summary(boardId, access);
        if (!summary) throw new HttpError(404, 'not-found', 'no such board');
        sendJson(res, 200, summary);
        return true;
      }
      const format = url.searchParams.get('format') ?? 'markdown';
      if (!(format in EXPORT_FORMATS)) {
        throw new HttpError(400, 'invalid', `format must be one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
      }
      const tz = url.searchParams.get('tz') ?? undefined;
      if (tz !== undefined && !validTimeZone(tz)) throw new HttpError(400, 'invalid', `unknown time zone ${JSON.stringify(tz.slice(0, 64))}`);
      const exported = await deps.boards.exportTimeline(boardId, format as ExportFormat, tz);
      if (!exported) throw new HttpError(404, 'not-found', 'no such board');
      sendText(res, 200, exported.contentType, exported.body, { 'content-disposition': attachment(exported.filename) });
      return true;
    }
    throw new HttpError(404, 'not-found', `no API at ${req.method} ${path}`);
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    try {
      return await route(req, res, url);
    } catch (error) {
      if (error instanceof HttpError) {
        sendError(res, error.status, error.code, error.message);
      } else {
        deps.log.error('API request failed', { method: req.method, path: url.pathname, ...errorFields(error) });
        if (!res.headersSent) sendError(res, 500, 'internal', 'the server could not complete this request');
        else res.destroy();
      }
      return true;
    }
  };
}
