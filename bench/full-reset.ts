/**
 * Full reset (request + consume + hash), against better-auth 1.7 in the same process. A unit asks
 * a reset for a known member, takes the token from the mail handed to the transport and sets a new
 * password (random, distinct). Ours, in process on the memory and fs stores: `POST /api/forgot`,
 * the link recorded, `POST /api/reset {token, password}` (what the reset page sends; the policy
 * verifies it against the member's past password, then hashes it). Anchor: better-auth's memory
 * adapter, `auth.api.requestPasswordReset` then `auth.api.resetPassword`, hashing with
 * `@node-rs/argon2` at our `passwordHashing` (checked after the run). Ours takes a member never reset
 * before each time (`--members`); the anchor keeps no history and reuses 300. 16 in flight,
 * interleaved rounds, a warm-up pass each; our leftovers (audit, notice mail) are drained untimed.
 *   tsx bench/full-reset.ts [--rounds 5] [--seconds 3] [--members 2000] [--backend memory --backend fs]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { passwordHashing } from '../server/crypto/params.js';
import type { Account } from '../server/domain.js';
import { withCredential } from '../server/flows/account-state.js';
import { blankAccount } from '../server/flows/staff-clients.js';
import type { Mailer } from '../server/mail/mailer.js';
import { createTestApp, GOOD_PASSWORD, TENANT } from '../test/helpers/app.js';
import { printTable, runBench, type Backend } from './backends.js';
import { BETTER_AUTH_VERSION, betterAuthAnchor, seedAnchorMembers } from './anchors/better-auth.js';
import { median, nextAddress, saturate, throughputOptions } from './saturate.js';

const { rounds, seconds, members: MEMBERS, backends: BACKENDS } = throughputOptions(2000);
const ANCHOR_MEMBERS = 300;
const CONCURRENCY = 16;
const LOAD = { concurrency: CONCURRENCY, seconds };
const { memoryCost, timeCost, parallelism } = passwordHashing;
const ARGON2ID_PREFIX = `$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$`;
const email = (i: number) => `member-${i}@example.com`;
/** 24 random characters: never common, never holding a name, never one used before. */
const newPassword = () => randomBytes(18).toString('base64url');

/** Promises per key that `resolve(key, value)` settles; each rejects after 10 s. */
function waiters<T>() {
  const pending = new Map<string, (value: T) => void>();
  return {
    wait: (key: string) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`ours: nothing for ${key} in 10 s`)), 10_000);
        pending.set(key, (value) => (clearTimeout(timer), pending.delete(key), resolve(value)));
      }),
    resolve: (key: string, value: T) => pending.get(key)?.(value),
  };
}

async function anchorSide(storedHash: string) {
  const tokens = new Map<string, string>();
  const calls = { hash: 0, verify: 0 };
  const db = { user: [], session: [], account: [] as Array<{ password?: string }>, verification: [] };
  const auth = betterAuthAnchor(
    {
      sendResetPassword: async ({ user, token }) => void tokens.set(user.email, token),
      password: {
        hash: (password) => (calls.hash++, hash(password, passwordHashing)),
        verify: (data) => (calls.verify++, verify(data.hash, data.password)),
      },
    },
    db,
  );
  await seedAnchorMembers(auth, ANCHOR_MEMBERS, storedHash, email);
  let next = 0;
  const unit = async () => {
    const to = email(next++ % ANCHOR_MEMBERS);
    tokens.delete(to);
    await auth.api.requestPasswordReset({ body: { email: to, redirectTo: '/reset' } });
    const token = tokens.get(to);
    if (!token) throw new Error(`anchor: no reset mail for ${to}`);
    const answer = await auth.api.resetPassword({ body: { newPassword: newPassword(), token } });
    if (!answer.status) throw new Error(`anchor: reset for ${to} refused`);
  };
  /** Whether every reset password is an argon2id hash at our parameters, one `hash` call a reset. */
  const check = () => {
    const reset = db.account.filter((account) => account.password !== storedHash);
    const argon2id = reset.length > 0 && reset.every((a) => a.password?.startsWith(ARGON2ID_PREFIX));
    return { argon2id: argon2id && calls.hash === next, ...calls, resets: next };
  };
  return { run: () => saturate(LOAD, unit), check };
}

async function ourSide(backend: Backend, storedHash: string) {
  const dataDir = backend === 'fs' ? await mkdtemp(path.join(tmpdir(), 'bench-reset-')) : null;
  const t = await createTestApp({ env: { STORAGE: backend, ...(dataDir ? { DATA_DIR: dataDir } : {}) } });
  const now = t.clock.now();
  const members: Account[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const account = blankAccount(t.deps, { name: `Member ${i}`, email: email(i), tenants: [TENANT] });
    const credential = { hash: storedHash, kind: 'member' as const, setAt: now };
    const historySize = t.config.passwordPolicy.historySize;
    members.push(await t.store.createAccount(withCredential(account, credential, now, historySize)));
  }
  // The mail transport, watched for reset links; the store, for the write that records a link.
  const links = waiters<string>();
  const written = waiters<void>();
  const transport = t.deps.mailer;
  const watched: Mailer = {
    send: async (request) => {
      await transport.send(request);
      if (request.content.kind === 'reset') links.resolve(request.to, request.content.link);
    },
    verify: () => transport.verify(),
    close: () => transport.close(),
  };
  t.deps.mailer = watched;
  const update = t.store.updateAccount.bind(t.store);
  t.store.updateAccount = async (id, change) => {
    const account = await update(id, change);
    written.resolve(id, undefined);
    return account;
  };
  let next = 0;
  const unit = async () => {
    if (next >= members.length) throw new Error(`ours: all ${MEMBERS} members used; raise --members`);
    const member = members[next++];
    const [mailed, recorded] = [links.wait(member.email!), written.wait(member.id)];
    const body = { identifier: member.email };
    const asked = await t.request('POST', '/api/forgot', { body, ip: nextAddress() });
    if (asked.status !== 202) throw new Error(`ours: forgot answered ${asked.status} ${await asked.text()}`);
    const token = new URL(await mailed).hash.replace(/^#token=/, '');
    await recorded;
    const res = await t.request('POST', '/api/reset', { body: { token, password: newPassword() } });
    if (res.status !== 200) throw new Error(`ours: reset answered ${res.status} ${await res.text()}`);
  };
  return {
    run: () => saturate(LOAD, unit, () => t.drain()),
    async close() {
      await t.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type Row = { backend: Backend; anchor: number[]; ours: number[]; argon2id: boolean };

async function measure(backend: Backend): Promise<Row> {
  const storedHash = await hash(GOOD_PASSWORD, passwordHashing);
  const anchor = await anchorSide(storedHash);
  const ours = await ourSide(backend, storedHash);
  try {
    await anchor.run(); // warm-up, not counted
    await ours.run();
    const row: Row = { backend, anchor: [], ours: [], argon2id: false };
    for (let round = 0; round < rounds; round++) {
      row.anchor.push(await anchor.run());
      row.ours.push(await ours.run());
    }
    const check = anchor.check();
    process.stderr.write(`anchor on ${backend}: ${JSON.stringify(check)}\n`);
    return { ...row, argon2id: check.argon2id };
  } finally {
    await ours.close();
  }
}

await runBench<Backend, Row>({
  backends: BACKENDS,
  cases: BACKENDS,
  label: (backend) => `full reset on ${backend}`,
  measure,
  title:
    `Full reset (request + consume + argon2id m=${memoryCost} KiB, t=${timeCost}) per second, ` +
    `${CONCURRENCY} in flight, ${rounds} interleaved rounds of ${seconds} s; ` +
    `anchor: better-auth ${BETTER_AUTH_VERSION} requestPasswordReset + resetPassword, memory adapter`,
  print: (rows, out) =>
    printTable(
      ['backend', 'anchor resets/s', 'ours resets/s', 'ratio (median)', 'ratio spread', 'anchor argon2id'],
      rows.map((row) => {
        const ratios = row.ours.map((ours, i) => ours / row.anchor[i]);
        return [
          row.backend,
          median(row.anchor).toFixed(1),
          median(row.ours).toFixed(1),
          `${median(ratios).toFixed(2)}×`,
          `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
          row.argon2id ? 'yes' : 'NO',
        ];
      }),
      out,
    ),
});
