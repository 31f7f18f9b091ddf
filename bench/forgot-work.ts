/**
 * Forgot completed work, against better-auth 1.7 in the same process: reset requests for known
 * members, each done when its reset mail has been handed to the mail transport (`POST /api/forgot`
 * answers 202 at once and mails in the background, so the answer is not the end). Ours: the whole
 * app in process (`app.request`; the outbox mailer renders the mail, builds it with nodemailer and
 * keeps it in the store) on each store backend. Anchor: `auth.api.requestPasswordReset` on
 * better-auth's memory adapter, its `sendResetPassword` noting the mail. A few hundred members a
 * side, each request from an address of its own; the per-account budget is raised (a bench asks
 * hundreds of times a second) and every answer and mail is checked. 16 in flight, interleaved
 * rounds (anchor, then ours), a warm-up pass each; what ours does after the mail (recording the
 * link, the audit) is drained between passes, untimed, and our clock then moves an hour on.
 * Prints mails per second, the ratio ours / anchor per round (median, spread) and the load.
 * `--backend redis` / `--backend postgres` start servers of their own.
 *   tsx bench/forgot-work.ts [--rounds 5] [--seconds 3] [--members 300] [--backend memory --backend fs]
 */
import { rm } from 'node:fs/promises';
import { hash } from '@node-rs/argon2';
import { passwordHashing } from '../server/crypto/params.js';
import { withCredential } from '../server/flows/account-state.js';
import { blankAccount } from '../server/flows/staff-clients.js';
import type { Mailer } from '../server/mail/mailer.js';
import { GOOD_PASSWORD, TENANT } from '../test/helpers/app.js';
import { openApp, printTable, runBench, type Backend, type BenchServices } from './backends.js';
import { BETTER_AUTH_VERSION, betterAuthAnchor, seedAnchorMembers } from './anchors/better-auth.js';
import { median, nextAddress, saturate, throughputOptions } from './saturate.js';

const { rounds, seconds, members: MEMBERS, backends: BACKENDS } = throughputOptions(300);
const CONCURRENCY = 16;
const LOAD = { concurrency: CONCURRENCY, seconds };
const UNLIMITED = 1_000_000_000;
const email = (i: number) => `member-${i % MEMBERS}@example.com`;

async function anchorSide(storedHash: string) {
  const mailed = new Set<string>();
  const auth = betterAuthAnchor({
    sendResetPassword: async ({ user, url, token }) => void (url.includes(token) && mailed.add(user.email)),
  });
  await seedAnchorMembers(auth, MEMBERS, storedHash, email);
  const unit = async (i: number) => {
    mailed.delete(email(i));
    const answer = await auth.api.requestPasswordReset({ body: { email: email(i), redirectTo: '/reset' } });
    if (!answer.status || !mailed.has(email(i))) throw new Error(`anchor: no reset mail for ${email(i)}`);
  };
  return { run: () => saturate(LOAD, unit) };
}

async function ourSide(backend: Backend, services: BenchServices, storedHash: string) {
  const { t, dataDir } = await openApp(backend, services, {}, ({ limits, ...config }) => ({
    ...config,
    limits: { ...limits, forgotPerAccount: { ...limits.forgotPerAccount, limit: UNLIMITED } },
  }));
  const now = t.clock.now();
  for (let i = 0; i < MEMBERS; i++) {
    const account = blankAccount(t.deps, { name: `Member ${i}`, email: email(i), tenants: [TENANT] });
    const credential = { hash: storedHash, kind: 'member' as const, setAt: now };
    const historySize = t.config.passwordPolicy.historySize;
    await t.store.createAccount(withCredential(account, credential, now, historySize));
  }
  // The transport the app was built with, watched: a unit ends when its reset mail went through.
  const waiting = new Map<string, () => void>();
  const transport = t.deps.mailer;
  const watched: Mailer = {
    send: async (request) => {
      await transport.send(request);
      if (request.content.kind === 'reset') waiting.get(request.to)?.();
    },
    verify: () => transport.verify(),
    close: () => transport.close(),
  };
  t.deps.mailer = watched;
  const unit = async (i: number) => {
    const to = email(i);
    const mailed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ours: no reset mail for ${to} in 10 s`)), 10_000);
      waiting.set(to, () => (clearTimeout(timer), waiting.delete(to), resolve()));
    });
    const res = await t.request('POST', '/api/forgot', { body: { identifier: to }, ip: nextAddress() });
    if (res.status !== 202) throw new Error(`ours: forgot answered ${res.status} ${await res.text()}`);
    await mailed;
  };
  // Between passes, untimed: the leftovers finish, and the clock moves past the per-account window
  // (each member's log of takes then holds one pass's requests, not the whole run's).
  const settle = async () => {
    await t.drain();
    t.clock.advance(t.config.limits.forgotPerAccount.windowMs);
  };
  return {
    run: () => saturate(LOAD, unit, settle),
    async close() {
      await t.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type Row = { backend: Backend; anchor: number[]; ours: number[] };

async function measure(backend: Backend, services: BenchServices): Promise<Row> {
  const storedHash = await hash(GOOD_PASSWORD, passwordHashing);
  const anchor = await anchorSide(storedHash);
  const ours = await ourSide(backend, services, storedHash);
  try {
    await anchor.run(); // warm-up, not counted
    await ours.run();
    const row: Row = { backend, anchor: [], ours: [] };
    for (let round = 0; round < rounds; round++) {
      row.anchor.push(await anchor.run());
      row.ours.push(await ours.run());
    }
    return row;
  } finally {
    await ours.close();
  }
}

await runBench<Backend, Row>({
  backends: BACKENDS,
  cases: BACKENDS,
  label: (backend) => `forgot work on ${backend}`,
  measure,
  title:
    `Forgot completed work (reset mails handed to the transport per second), ${MEMBERS} known members ` +
    `a side, ${CONCURRENCY} in flight, ${rounds} interleaved rounds of ${seconds} s; ` +
    `anchor: better-auth ${BETTER_AUTH_VERSION} requestPasswordReset, memory adapter`,
  print: (rows, out) =>
    printTable(
      ['backend', 'anchor mails/s', 'ours mails/s', 'ratio (median)', 'ratio spread'],
      rows.map((row) => {
        const ratios = row.ours.map((ours, i) => ours / row.anchor[i]);
        return [
          row.backend,
          median(row.anchor).toFixed(0),
          median(row.ours).toFixed(0),
          `${median(ratios).toFixed(2)}×`,
          `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`,
        ];
      }),
      out,
    ),
});
