/**
 * The README's "Many members at once" shell code, run as written with bash against the real
 * server process: the command and the curl call, then the imported member logs in with the
 * password of the old system.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEnv, PROVISION_KEY } from '../helpers/app.js';
import { readmeSnippet } from '../helpers/readme.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('README: many members at once', () => {
  let server: ServerProcess;
  let folder: string;

  beforeAll(async () => {
    server = await startServerProcess(productionEnv());
    // Inside the project, so `npx client-reset` finds the command as in an integrator's project.
    folder = join(root, '.tmp', `readme-import-${server.port}`);
    await mkdir(folder, { recursive: true });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('imports the two members with the command, then again with curl, and Ida logs in with her old password', async () => {
    const script = await readmeSnippet('import-snippet', 'sh');
    const { stdout, stderr } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: folder,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        // npx keeps the project's own command in its cache by the project's path: a cache of
        // its own here, so an earlier checkout at the same path never answers for this one.
        npm_config_cache: join(folder, '.npm-cache'),
        CLIENT_RESET_URL: server.url,
        PROVISION_API_KEY: PROVISION_KEY,
      },
    });
    expect(stderr).toContain('2 created, 0 updated, 0 failed.');
    // What the README shows under the curl call.
    const shown = /curl[\s\S]*?\n((?:# \{.*\n)+)/.exec(script)![1].replace(/^# /gm, '');
    expect(stdout).toBe(shown);
    const results = (await readFile(join(folder, 'results.ndjson'), 'utf8')).trim().split('\n');
    expect(results.map((line) => JSON.parse(line) as unknown)).toEqual([
      { line: 1, id: 'm-1042', status: 'created', passwordHash: 'set' },
      { line: 2, id: 'm-1043', status: 'created' },
    ]);

    const login = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'ida@example.com', password: 'blue-kettle-morning-9' }),
    });
    expect(((await login.json()) as { status?: string }).status).toBe('ok');
  }, 60_000);
});
