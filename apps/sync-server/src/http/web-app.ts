// Serves the built SvelteKit app (adapter-node's handler.js) so one process on one port is the whole
// product. Without a build, a plain page says how to make one.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../log';
import { errorFields } from '../log';

export type WebHandler = (req: IncomingMessage, res: ServerResponse, notFound: () => void) => void;

type SvelteKitHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export async function loadWebApp(buildDir: string | null, log: Logger): Promise<WebHandler> {
  const handlerPath = buildDir ? join(buildDir, 'handler.js') : null;
  if (handlerPath && existsSync(handlerPath)) {
    try {
      const module = (await import(pathToFileURL(handlerPath).href)) as { handler?: SvelteKitHandler };
      const handler = module.handler;
      if (typeof handler === 'function') {
        log.info('serving the web app', { buildDir });
        return (req, res, notFound) => handler(req, res, notFound);
      }
      log.error('the web build has no handler export; is it an adapter-node build?', { buildDir });
    } catch (error) {
      log.error('loading the web build failed', { buildDir, ...errorFields(error) });
    }
  } else {
    log.warn('the web app is not built; / shows how to build it', { buildDir });
  }
  return (req, res, notFound) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const status = path === '/' ? 200 : 404;
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(notBuiltPage(buildDir));
  };
}

function notBuiltPage(buildDir: string | null): string {
  const escaped = (buildDir ?? '(none configured)').replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Redstring — web app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Redstring sync server is running</h1>
<p>The web app is not built, so there is nothing to show here yet. The server looked for
<code>handler.js</code> in <code>${escaped}</code>.</p>
<p>Build it from the repository root, then restart the server:</p>
<pre>pnpm --filter @redstring/web build</pre>
<p>Or run everything with <code>node scripts/redstring.mjs start</code>. To serve a build from elsewhere,
set <code>REDSTRING_WEB_BUILD</code> to its directory.</p>
</body></html>
`;
}
