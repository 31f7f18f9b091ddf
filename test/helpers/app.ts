/** A whole server in process for API tests: memory store (or any), real outbox or SMTP mail, a clock the test moves. */
import { SignJWT } from 'jose';
import { ManualClock } from '../../server/clock.js';
import { loadConfig, type Config } from '../../server/config.js';
import { createDeps, type DepsOverrides } from '../../server/create-deps.js';
import type { Deps } from '../../server/deps.js';
import type { Account, Credential, OutboxMessage } from '../../server/domain.js';
import { withCredential } from '../../server/flows/account-state.js';
import { blankAccount } from '../../server/flows/staff-clients.js';
import { createApp } from '../../server/index.js';
import { createLogger } from '../../server/logger.js';
import { createStore } from '../../server/store/create-store.js';
import { TENANT, TEST_PUBLIC_URL } from './shared.js';

export {
  codeFromMail,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  OTHER_TENANT,
  TENANT,
  TEST_PUBLIC_URL,
  tokenFromMail,
} from './shared.js';
export const STAFF_SECRET = 'test-staff-secret-that-is-long-enough-for-hs256';
export const PROVISION_KEY = 'test-provision-key';

/**
 * A production server's settings for a server process: no demo, the memory store, mail kept in
 * the outbox, the test keys; `extra` adds or overrides.
 */
export function productionEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DEMO: '0',
    STORAGE: 'memory',
    MAIL: 'outbox',
    PROVISION_API_KEY: PROVISION_KEY,
    ADMIN_JWT_SECRET: STAFF_SECRET,
    PUBLIC_URL: 'https://reset.your-portal.example',
    ...extra,
  };
}

export interface TestAppOptions {
  env?: Record<string, string>;
  configure?: (config: Config) => Config;
  overrides?: DepsOverrides;
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export async function createTestApp(options: TestAppOptions = {}) {
  const clock = new ManualClock();
  // The demo refuses production settings: it mints its own staff tokens and has its own key.
  const demo = options.env?.DEMO === '1';
  let config = loadConfig({
    STORAGE: 'memory',
    MAIL: 'outbox',
    ...(demo
      ? { PUBLIC_URL: 'http://localhost:8787' }
      : { PUBLIC_URL: TEST_PUBLIC_URL, ADMIN_JWT_SECRET: STAFF_SECRET, PROVISION_API_KEY: PROVISION_KEY }),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  // Background work that failed in a way that may pass is tried again soon, so tests need not wait.
  config = { ...config, retryDelaysMs: [5, 10, 20] };
  if (options.configure) config = options.configure(config);
  const store = options.overrides?.store ?? createStore(config);
  const deps: Deps = await createDeps(config, {
    clock,
    store,
    logger: createLogger('silent'),
    ...options.overrides,
  });
  const app = createApp(deps);

  /** A request as a browser or curl would send it; `ip` becomes the socket address. */
  const request = (
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; ip?: string; rawBody?: string } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.rawBody !== undefined) body = init.rawBody;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const env = { incoming: { socket: { remoteAddress: init.ip ?? '192.0.2.10', remotePort: 40000 } } };
    return app.request(path, { method, headers, body }, env);
  };

  const staffToken = async (claims: { tid?: string; sub?: string; role?: string } = {}, secret?: string) => {
    const now = Math.floor(clock.now() / 1000);
    // Under DEMO=1 the only staff key is the demo's own.
    const key =
      secret !== undefined
        ? new TextEncoder().encode(secret)
        : (deps.demoStaffSecret ?? new TextEncoder().encode(STAFF_SECRET));
    return new SignJWT({ tid: claims.tid ?? TENANT, role: claims.role ?? 'staff' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub ?? 'desk-1')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key);
  };

  const asStaff = async (claims: { tid?: string; sub?: string } = {}) => ({
    Authorization: `Bearer ${await staffToken(claims)}`,
  });

  /** Newest first; waits for mail sent after the response. */
  const outbox = async (): Promise<OutboxMessage[]> => {
    await deps.background.drain();
    return deps.store.listOutbox(500);
  };

  const mailsTo = async (to: string) => (await outbox()).filter((message) => message.to === to);

  /**
   * An account straight into the store, in one of the states the workflows start from.
   * `password` makes it active with that member password.
   */
  const seedClient = async (
    fields: Partial<
      Pick<Account, 'id' | 'name' | 'email' | 'username' | 'tenants' | 'loginEnabled' | 'emailConfirmed'>
    > & {
      password?: string;
      credential?: Partial<Credential>;
    } = {},
  ): Promise<Account> => {
    let account = blankAccount(deps, {
      id: fields.id,
      name: fields.name ?? 'Jamie Rivera',
      email:
        fields.email === undefined
          ? `jamie.${Math.random().toString(36).slice(2, 8)}@example.com`
          : fields.email,
      username: fields.username ?? null,
      tenants: fields.tenants ?? [TENANT],
      loginEnabled: fields.loginEnabled ?? true,
      emailConfirmed: fields.emailConfirmed ?? true,
    });
    if (fields.password) {
      const now = clock.now();
      account = withCredential(
        account,
        { hash: await deps.hasher.hash(fields.password), kind: 'member', setAt: now, ...fields.credential },
        now,
        config.passwordPolicy.historySize,
      );
    }
    return deps.store.createAccount(account);
  };

  const provisionTenant = async (id: string, body: Record<string, unknown>) =>
    request('PUT', `/api/provision/tenants/${id}`, {
      body,
      headers: { Authorization: `Bearer ${PROVISION_KEY}` },
    });

  return {
    app,
    deps,
    config,
    clock,
    store: deps.store,
    request,
    get: (path: string, headers?: Record<string, string>) => request('GET', path, { headers }),
    post: (path: string, body?: unknown, headers?: Record<string, string>, ip?: string) =>
      request('POST', path, { body, headers, ip }),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) =>
      request('PATCH', path, { body, headers }),
    put: (path: string, body?: unknown, headers?: Record<string, string>) =>
      request('PUT', path, { body, headers }),
    staffToken,
    asStaff,
    outbox,
    mailsTo,
    seedClient,
    provisionTenant,
    drain: () => deps.background.drain(),
    close: async () => {
      await deps.webhooks.stop();
      await deps.background.drain();
      await deps.mailer.close();
      await deps.store.close();
    },
  };
}

/** The password line of a credentials mail. */
export function passwordFromMail(message: Pick<OutboxMessage, 'text'>, password: string): boolean {
  return message.text.includes(password);
}
