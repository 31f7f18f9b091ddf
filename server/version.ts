/**
 * Where this package is installed and its version: the checkout when run from source, the
 * installed package when run from its compiled files (dist/server/…) or the bundled command
 * (dist/cli/…).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('client-reset: package.json not found above the server');
    dir = parent;
  }
  return dir;
}

/** The folder holding this package's package.json. */
export const PACKAGE_ROOT = packageRoot();

export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
