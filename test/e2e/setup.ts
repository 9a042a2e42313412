// One real server (serving the built web app) and one Chromium per test file; each user is a browser context.
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startServer, type RunningServer } from '../helpers/server';
import { launchChromium, newUserContext, watchPageErrors } from '../helpers/chromium';
import { BoardPage } from './board-driver';

export interface E2eEnv {
  server: RunningServer;
  browser: Browser;
  /**
   * A signed-in user in a fresh browser context (own localStorage, own session). Browser notifications
   * are granted unless `notifications: false`.
   */
  user(name: string, colorIndex?: number, options?: { notifications?: boolean }): Promise<BoardPage>;
  /** Uncaught page errors so far, across every page opened through `user`. */
  pageErrors: string[];
}

export function useE2eEnv(): E2eEnv {
  const contexts: BrowserContext[] = [];
  const env = { pageErrors: [] as string[] } as E2eEnv;
  beforeAll(async () => {
    env.server = await startServer();
    env.browser = await launchChromium();
    env.user = async (name, colorIndex = 0, options = {}) => {
      const context = await newUserContext(env.browser, { baseURL: env.server.url, notifications: options.notifications ?? true });
      contexts.push(context);
      const board = await BoardPage.signIn(context, name, colorIndex);
      board.page.on('pageerror', (e) => env.pageErrors.push(`${name}: ${e.message}`));
      watchPageErrors(board.page);
      return board;
    };
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await env.browser?.close();
    await env.server?.dispose();
  });
  return env;
}
