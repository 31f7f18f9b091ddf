/**
 * GET /widget.js: the three custom elements with Lit as one minified ES module, the file
 * `npm run build` writes to dist/widget.js. It is public code that portals on any origin load with
 * `<script type="module">`, so it is cacheable and cross-origin (`Cross-Origin-Resource-Policy:
 * cross-origin`, `Access-Control-Allow-Origin: *`); the API's own CORS rules are not touched.
 *
 * From a source checkout the first request builds the bundle in process with vite when
 * dist/widget.js is missing or older than widget/, so `npm start` on a fresh clone needs no build
 * step. Without vite (production installs without dev dependencies) it serves what
 * `npm run build` left in dist/. The bundle is read once and kept in memory.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type MiddlewareHandler } from 'hono';
import { describeError } from '../background.js';
import type { Deps } from '../deps.js';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface WidgetRouteOptions {
  /** Holds vite.config.ts, widget/ and dist/; the project root by default. */
  root?: string;
  /** Build in process when the bundle is missing or older than widget/ (default true). */
  build?: boolean;
}

interface BundleFile {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** `widget.js` and the chunks it loads on demand (locale packs: `widget-fr-<hash>.js`), by file name. */
type Bundle = Map<string, BundleFile>;

const BUNDLE_FILE = /^widget(-[A-Za-z0-9_-]+)?\.js$/;

/** Newest modification time of any file under `dir`; 0 when it does not exist (no sources here). */
async function newestSource(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir, { recursive: true });
  } catch {
    return 0;
  }
  const times = await Promise.all(
    names.map((name) => stat(path.join(dir, name)).then((info) => (info.isFile() ? info.mtimeMs : 0))),
  );
  return Math.max(0, ...times);
}

async function viteBuild(root: string): Promise<void> {
  const { build } = await import('vite');
  // Same configuration as `npm run build`, but leave anything else in dist/ alone.
  await build({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { emptyOutDir: false },
  });
}

async function loadBundle(root: string, build: boolean, logger: Deps['logger']): Promise<Bundle> {
  const file = path.join(root, 'dist', 'widget.js');
  const builtAt = await stat(file).then(
    (info) => info.mtimeMs,
    () => null,
  );
  const sourcesAt = build ? await newestSource(path.join(root, 'widget')) : 0;
  if (sourcesAt > 0 && (builtAt === null || builtAt < sourcesAt)) {
    const started = performance.now();
    try {
      await viteBuild(root);
      logger.info({ ms: Math.round(performance.now() - started) }, 'built dist/widget.js');
    } catch (error) {
      if (builtAt === null) throw error;
      logger.warn({ err: describeError(error) }, 'could not rebuild dist/widget.js; serving the older one');
    }
  }
  const names = (await readdir(path.dirname(file))).filter((name) => BUNDLE_FILE.test(name));
  const files: Bundle = new Map();
  for (const name of names) {
    const body = new Uint8Array(await readFile(path.join(root, 'dist', name)));
    files.set(name, {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`,
    });
  }
  return files;
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

export function widgetRoutes(deps: Pick<Deps, 'logger'>, options: WidgetRouteOptions = {}) {
  const root = options.root ?? PROJECT_ROOT;
  const build = options.build ?? true;
  let pending: Promise<Bundle> | null = null;
  // One load (and at most one build) for concurrent first requests; a failure is retried next time.
  const bundle = () =>
    (pending ??= loadBundle(root, build, deps.logger).catch((error: unknown) => {
      pending = null;
      throw error;
    }));

  return new Hono().get('/:file{widget(-[A-Za-z0-9_-]+)?\\.js}', async (c) => {
    let files: Bundle;
    try {
      files = await bundle();
    } catch (error) {
      deps.logger.error({ err: describeError(error) }, 'widget bundle unavailable');
      c.header('Cache-Control', 'no-store');
      return c.text('The widget bundle is not built: run `npm run build`.', 503);
    }
    const current = files.get(c.req.param('file'));
    if (!current) return c.notFound();
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('ETag', current.etag);
    c.header('Access-Control-Allow-Origin', '*');
    if (etagMatches(c.req.header('If-None-Match'), current.etag)) return c.body(null, 304);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(current.body);
  });
}

/**
 * The app's secure headers make every response `Cross-Origin-Resource-Policy: same-origin`;
 * registered ahead of them, this lets other origins load the bundle.
 */
export const crossOriginScript: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 200 || c.res.status === 304)
    c.res.headers.set('Cross-Origin-Resource-Policy', 'cross-origin');
};
