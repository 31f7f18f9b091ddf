/**
 * Moving a deployment from the fs store to PostgreSQL with `npm run export` / `npm run import`, on
 * real server processes, a real SMTP server and a real PostgreSQL: members must not notice
 * (passwords, sessions, live links, counters and audit come along), and a damaged file or a
 * clash is said clearly without half-importing or printing a secret.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { makeAccount } from '../../server/store/conformance/records.js';
import { createStore } from '../../server/store/create-store.js';
import type { Store, StoreRecord } from '../../server/store/store.js';
import { headerLine, recordLine } from '../../server/transfer/format.js';
import { importStore } from '../../server/transfer/import-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, startPostgres, type PostgresHandle } from '../helpers/postgres-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { extractLink, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PROVISION_KEY = 'transfer-provision-key';
const STAFF_SECRET = 'transfer-staff-secret-of-enough-length';
const TENANT = 'north-gym';
const ADA_PASSWORD = 'Analytical-Engine-1843';
const BOB_PASSWORD = 'Difference-Engine-1822';

interface Run {
  code: number | null;
  output: string;
}

/** `npm run export` / `npm run import` as an operator runs them (the same entry point, without npm's banner). */
function transfer(args: string[], env: Record<string, string>, stdoutFd?: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/transfer/cli.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

async function staffHeaders(): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ tid: TENANT, role: 'staff' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('front-desk-1')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(STAFF_SECRET));
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
}

const json = { 'Content-Type': 'application/json' };

async function call(
  server: ServerProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = json,
) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('moving from the fs store to PostgreSQL with export and import', () => {
  let smtp: SmtpSink;
  let postgres: PostgresHandle;
  let workDir: string;
  let dataDir: string;
  let exportFile: string;
  let source: Record<string, string>;
  let target: Record<string, string>;
  let server: ServerProcess | null = null;
  // What members and staff saw before the move.
  let adaSession: string;
  let bobLink: string;
  let bobBefore: { resendsLeft: unknown; events: unknown };
  let jwksBefore: unknown;
  let exported: Run;

  beforeAll(async () => {
    [smtp, postgres] = await Promise.all([startSmtpSink(), startPostgres()]);
    workDir = await mkdtemp(join(tmpdir(), 'transfer-'));
    dataDir = join(workDir, 'data');
    exportFile = join(workDir, 'store.ndjson');
    const common = {
      DEMO: '0',
      MAIL: 'smtp',
      SMTP_URL: smtp.url,
      PROVISION_API_KEY: PROVISION_KEY,
      ADMIN_JWT_SECRET: STAFF_SECRET,
      // Sessions name the server's public address: it stays across the move, as in a deployment.
      PUBLIC_URL: 'https://members.north-gym.example',
    };
    source = { ...common, STORAGE: 'fs', DATA_DIR: dataDir };
    target = { ...common, STORAGE: 'postgres', DATABASE_URL: await createDatabase(postgres, 'moved') };

    server = await startServerProcess(source);
    const provision = { Authorization: `Bearer ${PROVISION_KEY}`, ...json };
    const staff = await staffHeaders();
    expect(
      (await call(server, 'PUT', `/api/provision/tenants/${TENANT}`, { name: 'North Gym' }, provision))
        .status,
    ).toBe(201);
    for (const [id, name, email] of [
      ['c-ada', 'Ada Lovelace', 'ada@example.com'],
      ['c-bob', 'Bob Babbage', 'bob@example.com'],
    ]) {
      const res = await call(
        server,
        'PUT',
        `/api/provision/clients/${id}`,
        { name, email, tenants: [TENANT] },
        provision,
      );
      expect(res.status).toBe(201);
    }
    // The front desk gives a temporary password; Ada chooses her own at her first login.
    const set = await call(
      server,
      'POST',
      '/api/admin/clients/c-ada/password',
      { mode: 'custom', password: 'Temporary-Pass-2026', delivery: 'none' },
      staff,
    );
    expect(set).toMatchObject({ status: 200 });
    const first = await call(server, 'POST', '/api/login', {
      identifier: 'ada@example.com',
      password: 'Temporary-Pass-2026',
      tenant: TENANT,
    });
    expect(first.body).toMatchObject({ status: 'password_change_required' });
    const login = await call(server, 'POST', '/api/password/force-change', {
      challenge: first.body.challenge,
      password: ADA_PASSWORD,
    });
    expect(login.body).toMatchObject({ status: 'ok' });
    adaSession = login.body.session as string;

    expect((await call(server, 'POST', '/api/admin/clients/c-bob/reset-link', undefined, staff)).status).toBe(
      202,
    );
    await smtp.waitFor(2);
    bobLink = extractLink(smtp.messages.find((mail) => mail.text?.includes('Bob'))!)!;
    expect(bobLink).toContain('#token=');
    bobBefore = {
      resendsLeft: (await call(server, 'GET', '/api/admin/clients/c-bob', undefined, staff)).body.resendsLeft,
      events: (await call(server, 'GET', '/api/admin/clients/c-bob/events', undefined, staff)).body.items,
    };
    jwksBefore = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
    await server.stop();
    server = null;

    exported = await transfer(['export', exportFile], source);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await Promise.all([smtp?.stop(), postgres?.stop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('exports every record to a file only its owner can read, and says how many', async () => {
    expect(exported).toMatchObject({ code: 0 });
    expect(exported.output).toMatch(/Exported 2 accounts and \d+ other records from fs to /);
    expect((await stat(exportFile)).mode & 0o777).toBe(0o600);
    const lines = (await readFile(exportFile, 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({
      kind: 'header',
      format: 'client-reset-store',
      version: 1,
      from: 'fs',
    });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ kind: 'end', accounts: 2 });
  });

  it('never overwrites a file, and never prints what it moves', async () => {
    const again = await transfer(['export', exportFile], source);
    expect(again.code).toBe(1);
    expect(again.output).toContain('That file exists');
    for (const run of [exported, again]) {
      expect(run.output).not.toMatch(/argon2|token|"d":/);
    }
  });

  it('after the import on PostgreSQL members log in, keep their sessions and links, and staff see the same client', async () => {
    const imported = await transfer(['import', exportFile], target);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.output).toMatch(/Imported an export of fs \(.+\) into postgres: \d+ added, 0 replaced/);
    expect(imported.output).not.toMatch(/argon2|\$/);

    server = await startServerProcess(target);
    expect(await (await fetch(`${server.url}/.well-known/jwks.json`)).json()).toEqual(jwksBefore);
    const session = await fetch(`${server.url}/api/session`, {
      headers: { Authorization: `Bearer ${adaSession}` },
    });
    expect(session.status).toBe(200);
    const login = await call(server, 'POST', '/api/login', {
      identifier: 'ada@example.com',
      password: ADA_PASSWORD,
      tenant: TENANT,
    });
    expect(login.body).toMatchObject({ status: 'ok' });

    const staff = await staffHeaders();
    const found = await call(server, 'GET', '/api/admin/clients?q=lovel', undefined, staff);
    expect((found.body.items as Array<{ id: string }>).map((item) => item.id)).toEqual(['c-ada']);
    // The resend allowance and the audit trail came along: the front desk sees what it saw.
    expect(
      (await call(server, 'GET', '/api/admin/clients/c-bob', undefined, staff)).body.resendsLeft,
    ).toEqual(bobBefore.resendsLeft);
    expect(
      (await call(server, 'GET', '/api/admin/clients/c-bob/events', undefined, staff)).body.items,
    ).toEqual(bobBefore.events);

    // The link mailed before the move still sets a password, once.
    const token = new URL(bobLink).hash.replace('#token=', '');
    expect(await call(server, 'POST', '/api/reset', { token, password: BOB_PASSWORD })).toMatchObject({
      status: 200,
    });
    expect((await call(server, 'POST', '/api/reset', { token, password: BOB_PASSWORD })).body).toMatchObject({
      error: { code: 'link_used' },
    });
    const bob = await call(server, 'POST', '/api/login', {
      identifier: 'bob@example.com',
      password: BOB_PASSWORD,
      tenant: TENANT,
    });
    expect(bob.body).toMatchObject({ status: 'ok' });
    await server.stop();
    server = null;
  });

  it('imported twice, the export wins and nothing doubles', async () => {
    const again = await transfer(['import', exportFile], target);
    expect(again).toMatchObject({ code: 0 });
    expect(again.output).toMatch(/ 2 replaced/);
    server = await startServerProcess(target);
    const staff = await staffHeaders();
    const all = await call(server, 'GET', '/api/admin/clients', undefined, staff);
    expect((all.body.items as Array<{ id: string }>).map((item) => item.id).sort()).toEqual([
      'c-ada',
      'c-bob',
    ]);
    // Bob's password is the one the export holds again (none yet): the file is the source of truth.
    const bob = await call(server, 'POST', '/api/login', {
      identifier: 'bob@example.com',
      password: BOB_PASSWORD,
      tenant: TENANT,
    });
    expect(bob.status).toBe(401);
    await server.stop();
    server = null;
  });

  it('a file cut short is refused with a sentence that says so', async () => {
    const lines = (await readFile(exportFile, 'utf8')).trimEnd().split('\n');
    const cut = join(workDir, 'cut.ndjson');
    await writeFile(cut, `${lines.slice(0, -2).join('\n')}\n`);
    const run = await transfer(['import', cut], {
      ...target,
      DATABASE_URL: await createDatabase(postgres, 'cut'),
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('without the line that closes an export: it was cut short');
  });

  it('a damaged line stops the import at that line, named by number and never by content', async () => {
    const lines = (await readFile(exportFile, 'utf8')).trimEnd().split('\n');
    const broken = join(workDir, 'broken.ndjson');
    const account = JSON.parse(lines[1]) as { account: Record<string, unknown> };
    account.account.tenants = 'north-gym';
    await writeFile(broken, [lines[0], JSON.stringify(account), ...lines.slice(2)].join('\n'));
    const run = await transfer(['import', broken], {
      ...target,
      DATABASE_URL: await createDatabase(postgres, 'broken'),
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('Line 2: not a record of an export: account.tenants');
    expect(run.output).not.toContain('north-gym');
    expect(run.output).not.toContain('@example.com');
  });

  it('an account whose email another account holds is listed and left out; the rest goes in', async () => {
    const lines = (await readFile(exportFile, 'utf8')).trimEnd().split('\n');
    const ada = JSON.parse(lines.find((line) => line.includes('"c-ada"'))!) as {
      account: Record<string, unknown>;
    };
    const impostor = join(workDir, 'impostor.ndjson');
    await writeFile(
      impostor,
      [
        lines[0],
        JSON.stringify({ kind: 'account', account: { ...ada.account, id: 'c-other', username: null } }),
        JSON.stringify({ kind: 'end', accounts: 1, records: 0 }),
      ].join('\n'),
    );
    const env = { ...target, DATABASE_URL: await createDatabase(postgres, 'clash') };
    expect(await transfer(['import', impostor], env)).toMatchObject({ code: 0 });
    const run = await transfer(['import', exportFile], env);
    expect(run.code).toBe(1);
    expect(run.output).toContain('1 accounts were not imported');
    expect(run.output).toContain('c-ada (email_in_use)');
    expect(run.output).not.toContain('ada@example.com');
  });

  it('stops with exit 1 and the reason when the export cannot be written (a full disk)', async () => {
    const full = await open('/dev/full', 'w');
    try {
      const run = await transfer(['export', '-'], source, full.fd);
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/ENOSPC|no space left/i);
      expect(run.output).not.toContain('Exported');
    } finally {
      await full.close();
    }
  });

  it('refuses the in-memory store and a missing file with one clear sentence', async () => {
    const memory = await transfer(['export', join(workDir, 'memory.ndjson')], {
      ...source,
      STORAGE: 'memory',
    });
    expect(memory).toMatchObject({ code: 1 });
    expect(memory.output).toContain('STORAGE=memory lives inside one server process');
    const missing = await transfer(['import', join(workDir, 'nowhere.ndjson')], target);
    expect(missing).toMatchObject({ code: 1, output: 'No such file.\n' });
  });
});

describe('importStore', () => {
  it('lets the writes in flight finish before a damaged line stops the import', async () => {
    const memory = createStore({ storage: 'memory' });
    const done: string[] = [];
    // The store as the import sees it, each write a little slow, as over a network.
    const slow = {
      importRecord: async (record: StoreRecord) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const outcome = await memory.importRecord(record);
        if (record.kind === 'account') done.push(record.account.id);
        return outcome;
      },
    } as unknown as Store;
    const lines = [
      headerLine('memory', Date.now()),
      ...['a', 'b', 'c'].map((id) =>
        recordLine({ kind: 'account', account: makeAccount({ id, tenants: ['t'] }) }),
      ),
      '{"kind":"record","key":"tenant:t","val',
    ];
    await expect(importStore(slow, lines)).rejects.toThrow('Line 5: not JSON.');
    expect(done.sort()).toEqual(['a', 'b', 'c']);
    expect(await memory.getAccount('c')).toMatchObject({ id: 'c' });
    await memory.close();
  });
});
