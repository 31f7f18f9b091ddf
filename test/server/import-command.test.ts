/**
 * `client-reset provision members.ndjson` against a real server process: batches of the file, each
 * failed line reported by its number in the file, a progress line, a summary, an exit status a
 * script can test, and a second run that changes nothing.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEnv, PROVISION_KEY, TENANT } from '../helpers/app.js';
import { clientReset } from '../helpers/client-reset-command.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

describe('client-reset import', () => {
  let server: ServerProcess;
  let folder: string;
  let env: Record<string, string>;
  const LINES = 12_000;

  beforeAll(async () => {
    server = await startServerProcess(productionEnv());
    folder = await mkdtemp(join(tmpdir(), 'import-command-'));
    env = { CLIENT_RESET_URL: server.url, PROVISION_API_KEY: PROVISION_KEY };
    const lines = Array.from({ length: LINES }, (_, index) => {
      const n = index + 1;
      if (n === 3) return '{"id": "broken",';
      if (n === 11_001) return JSON.stringify({ id: `c-${n}`, name: `Member ${n}`, tenants: [] });
      return JSON.stringify({
        id: `c-${n}`,
        name: `Member ${n}`,
        email: `m${n}@example.com`,
        tenants: [TENANT],
      });
    });
    await writeFile(join(folder, 'members.ndjson'), `${lines.join('\n')}\n`);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('imports the file in batches, names each failed line by its number, and can be run again', async () => {
    const file = join(folder, 'members.ndjson');
    const first = await clientReset(['provision', file, '--results', join(folder, 'results.ndjson')], env);
    expect(first.code).toBe(1);
    expect(first.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^line 3: invalid_request: /),
      expect.stringMatching(/^line 11001 \(c-11001\): invalid_request: .*tenants/),
    ]);
    expect(first.stderr).toMatch(/12,000 \/ 12,000 lines \(100 %\), [\d,]+ lines\/s, 2 failed/);
    expect(first.stderr).toContain('11998 created, 0 updated, 2 failed.');

    const results = (await readFile(join(folder, 'results.ndjson'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; id: string; status: string });
    expect(results.map((r) => r.line)).toEqual(Array.from({ length: LINES }, (_, i) => i + 1));
    expect(results[10_999]).toMatchObject({ line: 11_000, id: 'c-11000', status: 'created' });

    const exported = await fetch(`${server.url}/api/provision/clients/c-11000/export`, {
      headers: { Authorization: `Bearer ${PROVISION_KEY}` },
    });
    expect(((await exported.json()) as { client: { email: string } }).client.email).toBe(
      'm11000@example.com',
    );

    const again = await clientReset(['provision', file], env);
    expect(again.stderr).toContain('0 created, 11998 updated, 2 failed.');
  }, 120_000);

  it('says why it stopped: a wrong key, a server that is not there, a missing file', async () => {
    const file = join(folder, 'members.ndjson');
    const wrongKey = await clientReset(['provision', file], { ...env, PROVISION_API_KEY: 'not-the-key' });
    expect([wrongKey.code, wrongKey.stderr]).toEqual([1, expect.stringContaining('the server answered 401')]);
    const noServer = await clientReset(['provision', file], {
      ...env,
      CLIENT_RESET_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect([noServer.code, noServer.stderr]).toEqual([1, expect.stringContaining('ECONNREFUSED')]);
    const noFile = await clientReset(['provision', join(folder, 'missing.ndjson')], env);
    expect([noFile.code, noFile.stderr]).toEqual([1, expect.stringContaining('no such file')]);
    const noKey = await clientReset(['provision', file], { CLIENT_RESET_URL: server.url });
    expect([noKey.code, noKey.stderr]).toEqual([1, expect.stringContaining('PROVISION_API_KEY')]);
  }, 60_000);
});
