/**
 * The anchor the forgot and reset benches compare the server with: better-auth (a development
 * dependency) with its memory adapter, members made through its own adapter with a password hash
 * given, logs and telemetry off.
 */
import { readFileSync } from 'node:fs';
import { betterAuth, type BetterAuthOptions } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';

const PACKAGE = new URL('../../node_modules/better-auth/package.json', import.meta.url);
export const BETTER_AUTH_VERSION = (JSON.parse(readFileSync(PACKAGE, 'utf8')) as { version: string }).version;

type EmailAndPassword = NonNullable<BetterAuthOptions['emailAndPassword']>;

/** better-auth on `db` (its memory adapter's tables), with email and password as given. */
export function betterAuthAnchor(
  emailAndPassword: Omit<EmailAndPassword, 'enabled'>,
  db: Parameters<typeof memoryAdapter>[0] = { user: [], session: [], account: [], verification: [] },
) {
  return betterAuth({
    secret: 'bench-better-auth-secret-0123456789abcdef',
    baseURL: 'http://localhost:3000',
    database: memoryAdapter(db),
    logger: { disabled: true },
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, ...emailAndPassword },
  });
}

/** Members `email(0)` … `email(count - 1)`, each with a password of `storedHash`. */
export async function seedAnchorMembers(
  auth: ReturnType<typeof betterAuthAnchor>,
  count: number,
  storedHash: string,
  email: (i: number) => string,
): Promise<void> {
  const { internalAdapter } = await auth.$context;
  for (let i = 0; i < count; i++) {
    const fields = { email: email(i), name: `Member ${i}`, emailVerified: true };
    const user = await internalAdapter.createUser(fields, { method: 'email-password' });
    const account = { userId: user.id, providerId: 'credential', accountId: user.id };
    await internalAdapter.createAccount({ ...account, password: storedHash });
  }
}
