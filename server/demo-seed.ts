/**
 * The demo tenant and its clients, created on first start under DEMO=1 so every workflow can be
 * tried at once: one client in each state the panel shows.
 */
import type { Account, Credential } from './domain.js';
import type { Deps } from './deps.js';
import { DAY } from './clock.js';
import { withCredential } from './flows/account-state.js';
import { blankAccount } from './flows/staff-clients.js';

export const DEMO_TENANT_ID = 'demo-studio';
export const DEMO_PARTNER_TENANT_ID = 'demo-physio';
/** The password of every seeded active demo client (documented in the README). */
export const DEMO_PASSWORD = 'paddle-lantern-orbit-7';
/** The temporary password of the seeded force-reset client. */
export const DEMO_TEMPORARY_PASSWORD = 'Tmp7kQ9xW2mZr4Hd';

interface SeedClient {
  id: string;
  name: string;
  email?: string;
  username?: string;
  state: 'active' | 'invited' | 'force_reset' | 'disabled' | 'unconfirmed' | 'shared';
}

const clients: SeedClient[] = [
  { id: 'c-alice', name: 'Alice Martin', email: 'alice@example.com', username: 'alice.m', state: 'active' },
  { id: 'c-ben', name: 'Ben Okafor', email: 'ben@example.com', state: 'invited' },
  { id: 'c-chloe', name: 'Chloé Dubois', email: 'chloe@example.com', state: 'force_reset' },
  { id: 'c-dan', name: 'Dan Kim', email: 'dan@example.com', state: 'disabled' },
  { id: 'c-eva', name: 'Eva Rossi', email: 'eva@example.com', state: 'unconfirmed' },
  { id: 'c-farid', name: 'Farid Haddad', username: 'farid_h', state: 'active' },
  { id: 'c-grace', name: 'Grace Lee', email: 'grace@example.com', state: 'shared' },
  { id: 'c-hugo', name: 'Hugo Bernard', email: 'hugo@example.com', username: 'hugo_b', state: 'active' },
];

/** Creates the demo data unless the demo tenant exists already. Returns true when it seeded. */
export async function seedDemo(deps: Deps): Promise<boolean> {
  if (await deps.store.getTenant(DEMO_TENANT_ID)) return false;
  const now = deps.clock.now();
  const memberHash = await deps.hasher.hash(DEMO_PASSWORD);
  const temporaryHash = await deps.hasher.hash(DEMO_TEMPORARY_PASSWORD);
  const history = deps.config.passwordPolicy.historySize;
  const member: Credential = { hash: memberHash, kind: 'member', setAt: now - 30 * DAY };

  for (const seed of clients) {
    let account: Account = blankAccount(deps, {
      id: seed.id,
      name: seed.name,
      email: seed.email,
      username: seed.username,
      tenants: seed.state === 'shared' ? [DEMO_TENANT_ID, DEMO_PARTNER_TENANT_ID] : [DEMO_TENANT_ID],
      loginEnabled: seed.state !== 'disabled',
      emailConfirmed: seed.state !== 'unconfirmed' && seed.state !== 'invited',
    });
    if (seed.state !== 'invited') account = withCredential(account, member, now, history);
    if (seed.state === 'force_reset') {
      account = withCredential(
        account,
        {
          hash: temporaryHash,
          kind: 'temporary',
          setAt: now,
          expiresAt: now + deps.config.staffPasswordMaxAgeMs,
          issuedBy: 'front-desk',
          issuedByTenant: DEMO_TENANT_ID,
        },
        now,
        history,
      );
    }
    if (!(await deps.store.getAccount(seed.id))) await deps.store.createAccount(account);
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
  return true;
}
