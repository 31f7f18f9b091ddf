/**
 * Files that vite builds from the sources in this checkout (the widget bundle, the demo pages),
 * served from memory. From a source checkout the first request builds them in process when the
 * output is missing or older than its sources, so `npm start` on a fresh clone needs no build
 * step; without vite (a production install without dev dependencies) the output that
 * `npm run build` left is served as it is.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'hono';
import { describeError } from '../background.js';
import type { Deps } from '../deps.js';
import { PACKAGE_ROOT } from '../version.js';

export const PROJECT_ROOT = PACKAGE_ROOT;

export interface BuiltFile {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  type: string;
}

/** Built files by path relative to the output folder, with `/` separators. */
export type BuiltFiles = Map<string, BuiltFile>;

export interface BuiltFilesOptions {
  /** Holds the vite config, the sources and the output; the project root by default. */
  root?: string;
  /** The vite config file, relative to root. */
  configFile: string;
  /** The output folder, relative to root. */
  outDir: string;
  /** The file whose age decides whether to rebuild, relative to outDir. */
  marker: string;
  /** Source folders, relative to root: a file newer than the marker means a rebuild. */
  sources: string[];
  /** Which output files to serve (paths relative to outDir); all by default. */
  include?: (file: string) => boolean;
  /** Build in process when the output is missing or older than the sources (default true). */
  build?: boolean;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Newest modification time of any file under the folders; 0 when none exists (no sources here). */
async function newestSource(dirs: string[]): Promise<number> {
  const times = await Promise.all(
    dirs.map(async (dir) => {
      let names: string[];
      try {
        names = await readdir(dir, { recursive: true });
      } catch {
        return 0;
      }
      const each = await Promise.all(
        names.map((name) => stat(path.join(dir, name)).then((info) => (info.isFile() ? info.mtimeMs : 0))),
      );
      return Math.max(0, ...each);
    }),
  );
  return Math.max(0, ...times);
}

async function viteBuild(configFile: string): Promise<void> {
  const { build } = await import('vite');
  // Same configuration as `npm run build` (each config names its own root), but leave other
  // output (the widget beside the demo) alone.
  await build({ configFile, logLevel: 'warn', build: { emptyOutDir: false } });
}

async function load(options: Required<BuiltFilesOptions>, logger: Deps['logger']): Promise<BuiltFiles> {
  const { root } = options;
  const outDir = path.join(root, options.outDir);
  const builtAt = await stat(path.join(outDir, options.marker)).then(
    (info) => info.mtimeMs,
    () => null,
  );
  const sourcesAt = options.build
    ? await newestSource(options.sources.map((dir) => path.join(root, dir)))
    : 0;
  if (sourcesAt > 0 && (builtAt === null || builtAt < sourcesAt)) {
    const started = performance.now();
    try {
      await viteBuild(path.join(root, options.configFile));
      logger.info({ ms: Math.round(performance.now() - started), outDir: options.outDir }, 'built');
    } catch (error) {
      if (builtAt === null) throw error;
      logger.warn(
        { err: describeError(error), outDir: options.outDir },
        'could not rebuild; serving the older build',
      );
    }
  }
  const names = (await readdir(outDir, { recursive: true }))
    .map((name) => name.split(path.sep).join('/'))
    .filter(options.include);
  const files: BuiltFiles = new Map();
  for (const name of names) {
    const full = path.join(outDir, name);
    if (!(await stat(full)).isFile()) continue;
    const body = new Uint8Array(await readFile(full));
    files.set(name, {
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`,
      type: TYPES[path.extname(name)] ?? 'application/octet-stream',
    });
  }
  return files;
}

/** One load (and at most one build) for concurrent first requests; a failure is retried next time. */
export function builtFiles(options: BuiltFilesOptions, logger: Deps['logger']): () => Promise<BuiltFiles> {
  const settled: Required<BuiltFilesOptions> = {
    root: PROJECT_ROOT,
    include: () => true,
    build: true,
    ...options,
  };
  let pending: Promise<BuiltFiles> | null = null;
  return () =>
    (pending ??= load(settled, logger).catch((error: unknown) => {
      pending = null;
      throw error;
    }));
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/**
 * The built files, or the answer when they cannot be had: logged, 503, never cached, saying what
 * to do. `what` names them for people ("The widget bundle").
 */
export async function builtOrUnavailable(
  c: Context,
  load: () => Promise<BuiltFiles>,
  logger: Deps['logger'],
  what: string,
): Promise<BuiltFiles | Response> {
  try {
    return await load();
  } catch (error) {
    logger.error({ err: describeError(error), what }, 'built files unavailable');
    c.header('Cache-Control', 'no-store');
    return c.text(
      `${what} could not be built: run \`npm run build\`, or see the server log for the error.`,
      503,
    );
  }
}

/** Answers one built file with its ETag (304 when the browser has it) and the given caching. */
export function serveBuilt(c: Context, file: BuiltFile, cacheControl: string): Response {
  c.header('Cache-Control', cacheControl);
  c.header('ETag', file.etag);
  if (etagMatches(c.req.header('If-None-Match'), file.etag)) return c.body(null, 304);
  c.header('Content-Type', file.type);
  return c.body(file.body);
}
