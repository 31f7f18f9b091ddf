/**
 * The README's "Sessions in your member app" code, run as written against the real server
 * process: it must keep working for integrators who copy it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo-seed.js';
import { readmeSnippet } from '../helpers/readme.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Snippet {
  verifySession(session: string): Promise<{ clientId: string; tenantId?: string }>;
  sessionStillStands(session: string): Promise<boolean>;
  logout(session: string): Promise<void>;
}

describe('README: sessions in your member app', () => {
  let server: ServerProcess;
  let dataDir: string;
  let snippet: Snippet;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'readme-session-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    server = await startServerProcess({ DEMO: '1', DATA_DIR: dataDir, PUBLIC_URL: url }, port);
    // Inside the project, so `jose` resolves as in the integrator's app.
    const folder = join(root, '.tmp');
    await mkdir(folder, { recursive: true });
    const file = join(folder, `session-snippet-${port}.ts`);
    await writeFile(file, await readmeSnippet('session-snippet', 'ts'));
    process.env.RESET_SERVER_URL = url;
    snippet = (await import(pathToFileURL(file).href)) as Snippet;
    await rm(file);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function demoSession(): Promise<string> {
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'alice.m', password: DEMO_PASSWORD, tenant: 'demo-studio' }),
    });
    const body = (await res.json()) as { session?: string };
    expect(body.session).toBeTruthy();
    return body.session!;
  }

  it('verifies a session against the JWKS, asks whether it still stands, and logs out', async () => {
    const session = await demoSession();
    expect(await snippet.verifySession(session)).toEqual({ clientId: 'c-alice', tenantId: 'demo-studio' });
    expect(await snippet.sessionStillStands(session)).toBe(true);
    await snippet.logout(session);
    expect(await snippet.sessionStillStands(session)).toBe(false);
  });

  it('refuses a token that was tampered with', async () => {
    const [header, payload, signature] = (await demoSession()).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'c-bob' })).toString('base64url');
    await expect(snippet.verifySession(`${header}.${forged}.${signature}`)).rejects.toThrow();
  });
});
