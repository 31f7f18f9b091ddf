/**
 * What production runs, for the benches that start the server as a process: the bundled command
 * `client-reset serve` (`dist/cli/client-reset.js`, made by `npm run build`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUILT_COMMAND = path.join(ROOT, 'dist/cli/client-reset.js');

/** The Node arguments that start the built server; throws when it has not been built. */
export function servedArgs(): string[] {
  if (!existsSync(BUILT_COMMAND))
    throw new Error(
      `${BUILT_COMMAND} is missing: run \`npm run build\` first, the bench runs the built server.`,
    );
  return [BUILT_COMMAND, 'serve'];
}
