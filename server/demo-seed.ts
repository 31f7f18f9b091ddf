/**
 * The demo tenant and its clients, created on first start under DEMO=1 so every workflow can be
 * tried at once: a believable studio with clients in each state the panel shows, and the reset
 * that puts it back as it was (`POST /api/demo/reset`, `npm run demo:reset`).
 */
import type { Account, Credential, OutboxMessage } from './domain.js';
import type { Deps } from './deps.js';
import { DAY } from './clock.js';
import { isAppError } from './errors.js';
import { withCredential } from './flows/account-state.js';
import { sendClientLink, type StaffActor } from './flows/staff-credentials.js';
import { blankAccount } from './flows/staff-clients.js';
import type { Mailer } from './mail/mailer.js';
import type { Store } from './store/store.js';

export const DEMO_TENANT_ID = 'demo-studio';
export const DEMO_PARTNER_TENANT_ID = 'demo-physio';
/** The password of every seeded active demo client (documented in the README). */
export const DEMO_PASSWORD = 'paddle-lantern-orbit-7';
/** The temporary password of the seeded force-reset clients. */
export const DEMO_TEMPORARY_PASSWORD = 'Tmp7kQ9xW2mZr4Hd';

const DEMO_TENANTS: readonly string[] = [DEMO_TENANT_ID, DEMO_PARTNER_TENANT_ID];

export type DemoClientState = 'active' | 'invited' | 'force_reset' | 'disabled' | 'unconfirmed' | 'shared';
export type DemoPlan = 'Unlimited' | '10-class pass' | 'Off-peak' | 'Personal training' | 'Drop-in';

export interface DemoClient {
  id: string;
  name: string;
  email?: string;
  username?: string;
  state: DemoClientState;
  /**
   * What the front desk did before the demo started, through the real staff flow, so the panel
   * shows it in the activity and the resend budget (4 of 5 left).
   */
  history?: 'reset-link' | 'welcome-email';
  /** Display extras for a demo admin portal (`GET /api/demo/clients`); not part of the account. */
  plan: DemoPlan;
  /** Days since the last class; null for a client who never came. */
  lastVisit: number | null;
}

/** The seeded clients, in tenant `demo-studio` (the shared ones also in `demo-physio`). */
export const DEMO_CLIENTS: readonly DemoClient[] = [
  {
    id: 'c-alice',
    name: 'Alice Martin',
    email: 'alice@example.com',
    username: 'alice.m',
    state: 'active',
    plan: 'Unlimited',
    lastVisit: 1,
  },
  {
    id: 'c-ben',
    name: 'Ben Okafor',
    email: 'ben@example.com',
    state: 'invited',
    plan: '10-class pass',
    lastVisit: null,
  },
  {
    id: 'c-chloe',
    name: 'Chloé Dubois',
    email: 'chloe@example.com',
    state: 'force_reset',
    plan: 'Off-peak',
    lastVisit: 3,
  },
  {
    id: 'c-dan',
    name: 'Dan Kim',
    email: 'dan@example.com',
    state: 'disabled',
    plan: 'Unlimited',
    lastVisit: 94,
  },
  {
    id: 'c-eva',
    name: 'Eva Rossi',
    email: 'eva@example.com',
    state: 'unconfirmed',
    plan: '10-class pass',
    lastVisit: 12,
  },
  {
    id: 'c-farid',
    name: 'Farid Haddad',
    username: 'farid_h',
    state: 'active',
    plan: 'Off-peak',
    lastVisit: 2,
  },
  {
    id: 'c-grace',
    name: 'Grace Lee',
    email: 'grace@example.com',
    state: 'shared',
    plan: 'Personal training',
    lastVisit: 5,
  },
  {
    id: 'c-hugo',
    name: 'Hugo Bernard',
    email: 'hugo@example.com',
    username: 'hugo_b',
    state: 'active',
    plan: 'Unlimited',
    lastVisit: 0,
  },
  {
    id: 'c-ines',
    name: 'Inès Fernández',
    email: 'ines.fernandez@example.org',
    state: 'active',
    history: 'reset-link',
    plan: '10-class pass',
    lastVisit: 8,
  },
  {
    id: 'c-jonas',
    name: 'Jonas Weber',
    email: 'jonas.weber@example.com',
    username: 'jweber',
    state: 'active',
    plan: 'Unlimited',
    lastVisit: 1,
  },
  {
    id: 'c-kenji',
    name: 'Kenji Watanabe',
    email: 'kenji.watanabe@example.org',
    state: 'invited',
    history: 'welcome-email',
    plan: 'Drop-in',
    lastVisit: null,
  },
  {
    id: 'c-lucia',
    name: 'Lucía Romero',
    email: 'lucia.romero@example.com',
    state: 'shared',
    plan: 'Personal training',
    lastVisit: 4,
  },
  {
    id: 'c-mateo',
    name: 'Mateo Silva',
    email: 'mateo.silva@example.org',
    username: 'mateo_s',
    state: 'active',
    plan: 'Off-peak',
    lastVisit: 6,
  },
  {
    id: 'c-nadia',
    name: 'Nadia Petrova',
    email: 'nadia.petrova@example.com',
    state: 'force_reset',
    plan: 'Unlimited',
    lastVisit: 2,
  },
  {
    id: 'c-oscar',
    name: 'Óscar Núñez',
    email: 'oscar.nunez@example.org',
    state: 'active',
    plan: '10-class pass',
    lastVisit: 21,
  },
  {
    id: 'c-priya',
    name: 'Priya Nair',
    email: 'priya.nair@example.com',
    username: 'priya.n',
    state: 'active',
    plan: 'Unlimited',
    lastVisit: 0,
  },
  {
    id: 'c-quentin',
    name: 'Quentin Lefèvre',
    email: 'quentin.lefevre@example.org',
    state: 'active',
    plan: 'Drop-in',
    lastVisit: 45,
  },
  { id: 'c-rosa', name: 'Rosa Jiménez', username: 'rosa_j', state: 'active', plan: 'Off-peak', lastVisit: 7 },
  {
    id: 'c-siobhan',
    name: "Siobhán O'Connor",
    email: 'siobhan.oconnor@example.com',
    state: 'active',
    plan: '10-class pass',
    lastVisit: 3,
  },
  {
    id: 'c-tomasz',
    name: 'Tomasz Kowalski',
    email: 'tomasz.kowalski@example.org',
    state: 'disabled',
    plan: 'Unlimited',
    lastVisit: 60,
  },
];

/** The front desk of the demo studio: the staff id demo staff tokens carry by default. */
const frontDesk: StaffActor = { kind: 'staff', id: 'front-desk', tenantId: DEMO_TENANT_ID };

/**
 * The mail of the seeded history went out "before the demo started": it stays out of the outbox,
 * so the demo's mailbox starts empty, and never leaves through SMTP to the example addresses.
 */
const pastMail: Mailer = {
  send: async () => undefined,
  verify: async () => undefined,
  close: async () => undefined,
};

/** Creates the demo data unless the demo tenant exists already. Returns true when it seeded. */
export async function seedDemo(deps: Deps): Promise<boolean> {
  if (await deps.store.getTenant(DEMO_TENANT_ID)) return false;
  await writeDemo(deps, new Map());
  return true;
}

/** Writes the clients and both tenants, each client above its floor. */
/**
 * Per client id, the lowest session version and creation time a re-seeded client may have:
 * sessions issued to the client it replaces must not verify against it, and its counters
 * (keyed by creation time) must start afresh.
 */
interface Floor {
  sessionVersion: number;
  createdAt: number;
}

async function writeDemo(deps: Deps, floors: ReadonlyMap<string, Floor>): Promise<void> {
  const now = deps.clock.now();
  // Two argon2 hashes for all clients: hashing each one would make start-up and reset slow.
  const memberHash = await deps.hasher.hash(DEMO_PASSWORD);
  const temporaryHash = await deps.hasher.hash(DEMO_TEMPORARY_PASSWORD);
  const history = deps.config.passwordPolicy.historySize;
  const member: Credential = { hash: memberHash, kind: 'member', setAt: now - 30 * DAY };

  const created: DemoClient[] = [];
  for (const seed of DEMO_CLIENTS) {
    let account: Account = {
      ...blankAccount(deps, {
        id: seed.id,
        name: seed.name,
        email: seed.email,
        username: seed.username,
        tenants: seed.state === 'shared' ? [DEMO_TENANT_ID, DEMO_PARTNER_TENANT_ID] : [DEMO_TENANT_ID],
        loginEnabled: seed.state !== 'disabled',
        emailConfirmed: seed.state !== 'unconfirmed' && seed.state !== 'invited',
      }),
      sessionVersion: floors.get(seed.id)?.sessionVersion ?? 0,
      createdAt: Math.max(now, floors.get(seed.id)?.createdAt ?? 0),
    };
    if (seed.state !== 'invited') account = withCredential(account, member, now, history);
    if (seed.state === 'force_reset') {
      account = withCredential(
        account,
        {
          hash: temporaryHash,
          kind: 'temporary',
          setAt: now,
          expiresAt: now + deps.config.staffPasswordMaxAgeMs,
          issuedBy: frontDesk.id,
          issuedByTenant: DEMO_TENANT_ID,
          // The front desk saw it (and the README prints it).
          staffTenants: [DEMO_TENANT_ID],
        },
        now,
        history,
      );
    }
    // Left by a seed interrupted before the tenant was written, or another company's client a
    // reset kept: it stays as it is.
    if (await deps.store.getAccount(seed.id)) continue;
    try {
      await deps.store.createAccount(account);
      created.push(seed);
    } catch (error) {
      // Only another company's account can hold it (a reset keeps those): skip this client.
      if (!isAppError(error) || !['id_in_use', 'email_in_use', 'username_in_use'].includes(error.code)) {
        throw error;
      }
      deps.logger.warn({ clientId: seed.id, reason: error.code }, 'demo client not created');
    }
  }

  const past: Deps = { ...deps, mailer: pastMail };
  for (const seed of created) {
    if (seed.history === 'reset-link') await sendClientLink(past, frontDesk, seed.id, 'reset');
    if (seed.history === 'welcome-email') await sendClientLink(past, frontDesk, seed.id, 'invite');
  }

  await deps.store.putTenant({
    id: DEMO_PARTNER_TENANT_ID,
    name: 'Northside Physio',
    locale: 'en',
    createdAt: now,
    updatedAt: now,
  });
  // Written last: its presence means the seed completed.
  await deps.store.putTenant({
    id: DEMO_TENANT_ID,
    name: 'Riverside Fitness Studio',
    locale: 'en',
    brand: { primaryColor: '#0f766e' },
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * The rate windows and failure counters kept for one account, named as the flows name them
 * (client-summary.ts: staff mail budget; self-service.ts: self-service mails; login.ts: password
 * checks from anywhere, and per IP under the prefix).
 */
export interface DemoResetResult {
  /** Accounts removed: the seeded clients and any the demo created. */
  removed: number;
  /** Accounts that also belong to another tenant: they left the demo tenants and were kept. */
  detached: number;
}

let resetting: Promise<unknown> = Promise.resolve();

/**
 * Puts the demo back as on first start: removes every account of the demo tenants (with its
 * audit and counters), empties the outbox and seeds again. Other tenants' accounts, the signing
 * keys and the settings stay, so their sessions and the demo's staff tokens keep working.
 * Resets of one process run one after the other: two at once would remove each other's seed.
 */
export function resetDemo(deps: Deps): Promise<DemoResetResult> {
  const run = resetting.then(() => resetNow(deps));
  resetting = run.catch(() => undefined);
  return run;
}

async function resetNow(deps: Deps): Promise<DemoResetResult> {
  // Mail and audit writes still on their way would otherwise land after the wipe.
  await deps.background.drain();
  const accounts = new Map<string, Account>();
  for (const tenantId of DEMO_TENANTS) {
    for await (const account of everyClient(deps, tenantId)) accounts.set(account.id, account);
  }
  const floors = new Map<string, Floor>();
  const result: DemoResetResult = { removed: 0, detached: 0 };
  const now = deps.clock.now();
  for (const account of accounts.values()) {
    if (account.tenants.every((tenantId) => DEMO_TENANTS.includes(tenantId))) {
      floors.set(account.id, {
        sessionVersion: account.sessionVersion + 1,
        createdAt: account.createdAt + 1,
      });
      if (await deps.store.deleteAccount(account.id)) result.removed++;
    } else {
      // Provisioning shared it with a real company: that company keeps its client.
      await deps.store.updateAccount(account.id, (current) => ({
        ...current,
        tenants: current.tenants.filter((tenantId) => !DEMO_TENANTS.includes(tenantId)),
        updatedAt: now,
      }));
      result.detached++;
    }
  }
  // The mailbox shows what comes after this.
  const [newest] = await deps.store.listOutbox(1);
  await deps.store.putSetting(DEMO_MAILBOX_AFTER, newest?.id ?? null);
  await writeDemo(deps, floors);
  return result;
}

/** Every client of a tenant, a page at a time. */
async function* everyClient(deps: Deps, tenantId: string): AsyncGenerator<Account> {
  let cursor: string | null = null;
  do {
    const page = await deps.store.searchClients(tenantId, { limit: 200, cursor });
    yield* page.items;
    cursor = page.next;
  } while (cursor);
}

/** The setting that holds the id of the newest mail at the last reset: the demo mailbox starts after it. */
export const DEMO_MAILBOX_AFTER = 'demo-mailbox-after';

/** The demo's outbox as its mailbox shows it: newest first, only what came after the last reset. */
export async function demoMailbox(store: Store, limit: number): Promise<OutboxMessage[]> {
  const after = await store.getSetting<string>(DEMO_MAILBOX_AFTER);
  const messages = await store.listOutbox(limit);
  const end = after ? messages.findIndex((message) => message.id === after) : -1;
  return end === -1 ? messages : messages.slice(0, end);
}
