/**
 * `/readyz`: whether this instance can do its work now — the store answers a write and a read, and
 * the mail transport takes mail (or, with MAIL unset outside the demo, why mail would be lost).
 * `/healthz` stays a liveness probe that asks nothing of either.
 */
import { describeError } from './background.js';
import type { Deps } from './deps.js';

export interface ReadinessCheck {
  ok: boolean;
  /** What is wrong, for the operator; never a secret (error names and codes only). */
  problem?: string;
}

export interface Readiness {
  ok: boolean;
  store: ReadinessCheck & { backend: string };
  mail: ReadinessCheck & { transport: string };
}

/** A check that hangs counts as failed after this long. */
const CHECK_TIMEOUT_MS = 3_000;

export const MAIL_UNSET_PROBLEM =
  'MAIL is not set: mail is kept in an outbox that nobody reads outside the demo. ' +
  'Set MAIL=smtp and SMTP_URL to deliver it (or MAIL=outbox to keep it on purpose).';

async function check(deps: Deps, part: string, work: () => Promise<void>): Promise<ReadinessCheck> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([work(), timeout]);
    return { ok: true };
  } catch (error) {
    // What the backend said (a refused connection, say), not only the store's own sentence.
    const cause = (error as { cause?: unknown }).cause;
    const { name, errorCode, message } = describeError(cause ?? error);
    const problem = errorCode ? `${name} (${errorCode}): ${message}` : `${name}: ${message}`;
    deps.logger.warn({ part, problem }, 'not ready');
    return { ok: false, problem };
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(deps: Deps): Promise<Readiness> {
  const { config } = deps;
  const [store, mail] = await Promise.all([
    check(deps, 'store', () => deps.store.ping()),
    config.mailUnset
      ? Promise.resolve<ReadinessCheck>({ ok: false, problem: MAIL_UNSET_PROBLEM })
      : check(deps, 'mail', () => deps.mailer.verify()),
  ]);
  return {
    ok: store.ok && mail.ok,
    store: { ...store, backend: config.storage },
    mail: { ...mail, transport: config.mail },
  };
}
