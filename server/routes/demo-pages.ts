/**
 * GET /demo/…: the demo pages (admin portal, member app, mailbox, embed guide) that vite builds from
 * demo/ into dist/demo, served from memory. Built in process on the first request when the output
 * is missing or older than its sources, like the widget bundle. Mounted only under DEMO=1.
 */
import { Hono } from 'hono';
import type { Deps } from '../deps.js';
import { builtFiles, builtOrUnavailable, serveBuilt, type BuiltFiles } from '../http/built-files.js';

export interface DemoPagesOptions {
  /** Holds demo/, widget/pages/ and dist/; the project root by default. */
  root?: string;
  /** Build in process when dist/demo is missing or older than its sources (default true). */
  build?: boolean;
}

/**
 * Pages keep their URL from build to build and name the current assets: never cached. Vite puts a
 * content hash in the name of everything under assets/: a new build is a new URL.
 */
function cachingOf(name: string): string {
  if (name.endsWith('.html')) return 'no-store';
  return name.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** The built file a path below /demo/ names: a folder is its index.html. */
function fileFor(files: BuiltFiles, rest: string): string | undefined {
  const name = rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest;
  return files.has(name) ? name : undefined;
}

export function demoPages(deps: Pick<Deps, 'logger'>, options: DemoPagesOptions = {}) {
  const pages = builtFiles(
    {
      ...(options.root ? { root: options.root } : {}),
      ...(options.build === undefined ? {} : { build: options.build }),
      configFile: 'demo/vite.config.ts',
      outDir: 'dist/demo',
      marker: 'index.html',
      sources: ['demo', 'widget/pages'],
    },
    deps.logger,
  );

  return new Hono()
    .get('/demo', (c) => c.redirect('/demo/', 301))
    .get('/demo/*', async (c) => {
      const files = await builtOrUnavailable(c, pages, deps.logger, 'The demo pages');
      if (files instanceof Response) return files;
      const rest = c.req.path.slice('/demo/'.length);
      const name = fileFor(files, rest);
      if (!name) {
        // A folder named without its slash (/demo/admin): the pages' relative links need the slash.
        if (files.has(`${rest}/index.html`)) return c.redirect(`/demo/${rest}/`, 301);
        return c.notFound();
      }
      return serveBuilt(c, files.get(name)!, cachingOf(name));
    });
}
