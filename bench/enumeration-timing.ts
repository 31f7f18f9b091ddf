/**
 * Enumeration timing (`npx tsx bench/enumeration-timing.ts`): whether an answer's time tells a
 * known identifier from an unknown one. On each store backend (memory, fs in a temp folder, Redis
 * on a throw-away redis-server, PostgreSQL on a throw-away cluster) it sends interleaved probes
 * through `app.request` in process — `POST /api/reset {identifier, code}` with a wrong code, and
 * `POST /api/login` with a wrong password — half for a known member (with a live reset code),
 * half for an unknown name, each from its own client address, and prints the median time of each
 * side, their difference with a 95 % interval (bootstrap), the p25–p75 spread and the machine's
 * load average.
 *
 * A login's time is mostly its password hash, whose own spread (a millisecond or more) hides a
 * tenth of a millisecond at a few hundred probes; the login is therefore also measured with a
 * light hash (the same on both sides: the dummy hash has the configured parameters too), which
 * leaves the rest of the path, where a store read or a write only one side makes would show.
 *
 *   tsx bench/enumeration-timing.ts                      400 probes a path (200 known, 200 unknown)
 *   tsx bench/enumeration-timing.ts --probes 1000        more probes
 *   tsx bench/enumeration-timing.ts --backend memory     one backend (repeatable; redis needs
 *                                                        redis-server, postgres PostgreSQL's initdb)
 *
 * The per-identifier budgets (20 codes a day, 100 login failures before delays) would refuse a
 * bench that probes one name hundreds of times, so they are raised here; every answer is checked
 * to be the plain refusal (400 code_invalid, 401 invalid_credentials), never a 429. Work the server
 * leaves for after the answer (the refusal's audit) is waited for between probes, outside the
 * timing, so one probe's leftovers never land in the next one's time.
 */
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { codeFromMail, GOOD_PASSWORD, type TestApp } from '../test/helpers/app.js';
import { openApp, startServices, type Backend, type BenchServices } from './backends.js';

const { values } = parseArgs({
  options: {
    probes: { type: 'string', default: '400' },
    backend: { type: 'string', multiple: true },
  },
});
const PROBES = Number(values.probes);
if (!Number.isInteger(PROBES) || PROBES < 20 || PROBES % 2 !== 0) {
  console.error('--probes must be an even whole number, at least 20');
  process.exit(1);
}
const BACKENDS = (values.backend ?? ['memory', 'fs', 'redis', 'postgres']) as Backend[];
const WARM_UP = 20;

const KNOWN_EMAIL = 'morgan.ash@example.com';
const UNKNOWN_EMAIL = 'morgan.ashe@example.com';
/** Never a code the server prints (it leaves out 0, 1, I and O). */
const WRONG_CODE = 'OOOO0000';
const WRONG_PASSWORD = 'not-the-password-at-all-7';

interface Row {
  backend: Backend;
  path: string;
  known: number[];
  unknown: number[];
}

/** A fresh address for every probe, so the per-address budgets never refuse. */
let addressCount = 0;
function nextAddress(): string {
  addressCount++;
  return `10.${(addressCount >> 16) & 255}.${(addressCount >> 8) & 255}.${addressCount & 255}`;
}

function percentile(sorted: number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** Argon2id at its smallest: a login whose time is the rest of the path. */
const LIGHT_HASHING = { memoryCost: 64, timeCost: 1, parallelism: 1 };

async function openLimitlessApp(
  backend: Backend,
  services: BenchServices,
  hashing?: typeof LIGHT_HASHING,
): Promise<{ t: TestApp; done(): Promise<void> }> {
  const { t, dataDir } = await openApp(
    backend,
    services,
    {},
    (config) => ({
      ...config,
      limits: {
        ...config.limits,
        codePerIdentifier: { ...config.limits.codePerIdentifier, limit: 1_000_000 },
        loginAccountFreeFailures: 1_000_000,
      },
    }),
    hashing ? { hashing } : {},
  );
  return {
    t,
    async done() {
      await t.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Probes `send` for the known and the unknown identifier in turn (ABBA order, so drift over the
 * run falls on both sides alike); returns the times in ms, warm-up left out.
 */
async function probe(
  t: TestApp,
  send: (identifier: string, ip: string) => Response | Promise<Response>,
  expected: { status: number; code: string },
): Promise<{ known: number[]; unknown: number[] }> {
  const times = { known: [] as number[], unknown: [] as number[] };
  const total = WARM_UP * 2 + PROBES;
  for (let i = 0; i < total; i++) {
    const side = i % 4 === 0 || i % 4 === 3 ? 'known' : 'unknown';
    const identifier = side === 'known' ? KNOWN_EMAIL : UNKNOWN_EMAIL;
    const ip = nextAddress();
    const started = performance.now();
    const res = await send(identifier, ip);
    const text = await res.text();
    const elapsed = performance.now() - started;
    const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
    if (res.status !== expected.status || code !== expected.code) {
      throw new Error(
        `${side} probe answered ${res.status} ${code ?? text}; expected ${expected.status} ${expected.code}`,
      );
    }
    if (i >= WARM_UP * 2) times[side].push(elapsed);
    await t.drain();
  }
  return times;
}

/** One app: the known member (with a live reset code) seeded, then each path probed. */
async function measureApp(
  backend: Backend,
  services: BenchServices,
  hashing: typeof LIGHT_HASHING | undefined,
): Promise<Row[]> {
  const { t, done } = await openLimitlessApp(backend, services, hashing);
  try {
    await t.seedClient({ email: KNOWN_EMAIL, password: GOOD_PASSWORD });
    const login = () =>
      probe(
        t,
        (identifier, ip) =>
          t.request('POST', '/api/login', { body: { identifier, password: WRONG_PASSWORD }, ip }),
        { status: 401, code: 'invalid_credentials' },
      );
    if (hashing)
      return [{ backend, path: 'POST /api/login (wrong password), light hash', ...(await login()) }];
    // A live reset link, so that the known member has a code the wrong one is compared with.
    await t.request('POST', '/api/forgot', { body: { identifier: KNOWN_EMAIL }, ip: nextAddress() });
    const [mail] = await t.mailsTo(KNOWN_EMAIL);
    if (!mail || codeFromMail(mail) === WRONG_CODE) throw new Error('no reset mail for the known member');
    const reset = await probe(
      t,
      (identifier, ip) =>
        t.request('POST', '/api/reset', {
          body: { identifier, code: WRONG_CODE, password: 'granite-willow-beacon-27' },
          ip,
        }),
      { status: 400, code: 'code_invalid' },
    );
    return [
      { backend, path: 'POST /api/reset (wrong code)', ...reset },
      { backend, path: 'POST /api/login (wrong password)', ...(await login()) },
    ];
  } finally {
    await done();
  }
}

async function measure(backend: Backend, services: BenchServices): Promise<Row[]> {
  return [
    ...(await measureApp(backend, services, undefined)),
    ...(await measureApp(backend, services, LIGHT_HASHING)),
  ];
}

/**
 * The 95 % interval of (median known − median unknown), by resampling each side 1000 times: how
 * far apart the two could be given the spread measured.
 */
function differenceInterval(known: number[], unknown: number[]): [number, number] {
  const resampledMedian = (values: number[]) => {
    const sample = Array.from(
      { length: values.length },
      () => values[Math.floor(Math.random() * values.length)],
    );
    return percentile(
      sample.sort((a, b) => a - b),
      0.5,
    );
  };
  const differences = Array.from({ length: 1000 }, () => resampledMedian(known) - resampledMedian(unknown));
  differences.sort((a, b) => a - b);
  return [percentile(differences, 0.025), percentile(differences, 0.975)];
}

const loadBefore = loadavg();
const rows: Row[] = [];
for (const backend of BACKENDS) {
  // A Redis or PostgreSQL server of its own for the backend that needs one, stopped after it.
  const services = await startServices([backend]);
  try {
    rows.push(...(await measure(backend, services)));
  } finally {
    await services.stop();
  }
}
const loadAfter = loadavg();

const ms = (value: number) => value.toFixed(3);
const signed = (value: number) => (value >= 0 ? '+' : '') + ms(value);
const spread = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p25: percentile(sorted, 0.25), p75: percentile(sorted, 0.75) };
};
const table = [
  [
    'backend',
    'path',
    'n known/unknown',
    'median known (ms)',
    'median unknown (ms)',
    'difference (ms)',
    '95 % interval',
    'known p25–p75',
    'unknown p25–p75',
  ],
  ...rows.map((row) => {
    const known = spread(row.known);
    const unknown = spread(row.unknown);
    const [low, high] = differenceInterval(row.known, row.unknown);
    return [
      row.backend,
      row.path,
      `${row.known.length}/${row.unknown.length}`,
      ms(known.median),
      ms(unknown.median),
      signed(known.median - unknown.median),
      `${signed(low)}…${signed(high)}`,
      `${ms(known.p25)}–${ms(known.p75)}`,
      `${ms(unknown.p25)}–${ms(unknown.p75)}`,
    ];
  }),
];
const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
const format = (line: string[]) =>
  line
    .map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
    .join('  ');
console.log(
  `Enumeration timing: ${PROBES} interleaved probes a path (half known, half unknown), ` +
    `after ${WARM_UP * 2} warm-up probes; difference = known − unknown\n`,
);
console.log(format(table[0]));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const line of table.slice(1)) console.log(format(line));
const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' ');
console.log(`\nLoad average (1, 5, 15 min): ${load(loadBefore)} before, ${load(loadAfter)} after`);
