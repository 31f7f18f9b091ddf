/**
 * GET /widget.js: the three custom elements with Lit as one minified ES module, the file
 * `npm run build` writes to dist/browser/widget.js. It is public code that portals on any origin load with
 * `<script type="module">`, so it is cacheable and cross-origin (`Cross-Origin-Resource-Policy:
 * cross-origin`, `Access-Control-Allow-Origin: *`); the API's own CORS rules are not touched.
 *
 * From a source checkout the first request builds the bundle in process with vite when
 * dist/browser/widget.js is missing or older than widget/, so `npm start` on a fresh clone needs no build
 * step. Without vite (production installs without dev dependencies) it serves what
 * `npm run build` left in dist/. The bundle is read once and kept in memory.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.js';
import { builtFiles, builtOrUnavailable, serveBuilt } from '../http/built-files.js';

export interface WidgetRouteOptions {
  /** Holds vite.config.ts, widget/ and dist/; the project root by default. */
  root?: string;
  /** Build in process when the bundle is missing or older than widget/ (default true). */
  build?: boolean;
}

/** What vite.config.ts builds into dist/: the widget bundle and the hosted login page's script. */
const SERVED = /^(widget(-[A-Za-z0-9_-]+)?|hosted-login)\.js$/;

/** One build and one copy in memory, shared by this route and the hosted pages' script. */
export function widgetBundle(deps: Pick<Deps, 'logger'>, options: WidgetRouteOptions = {}) {
  return builtFiles(
    {
      ...(options.root ? { root: options.root } : {}),
      ...(options.build === undefined ? {} : { build: options.build }),
      configFile: 'vite.config.ts',
      outDir: 'dist/browser',
      marker: 'widget.js',
      sources: ['widget'],
      include: (file) => SERVED.test(file),
    },
    deps.logger,
  );
}

export function widgetRoutes(
  deps: Pick<Deps, 'logger'>,
  options: WidgetRouteOptions = {},
  bundle = widgetBundle(deps, options),
) {
  return new Hono().get('/:file{widget(-[A-Za-z0-9_-]+)?\\.js}', async (c) => {
    const files = await builtOrUnavailable(c, bundle, deps.logger, 'The widget bundle');
    if (files instanceof Response) return files;
    const current = files.get(c.req.param('file'));
    if (!current) return c.notFound();
    c.header('Access-Control-Allow-Origin', '*');
    // widget.js names the hashed files it loads later (language packs, the lock dialog): it is
    // checked again on each use (a 304 is cheap), so a deploy never leaves a page asking for
    // files that are gone; those hashed files never change.
    const hashed = c.req.param('file') !== 'widget.js';
    return serveBuilt(c, current, hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
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
