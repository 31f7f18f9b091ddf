/** Builds the app's dependencies from configuration: opens the store, loads or makes the signing key, picks the mail transport. */
import { randomBytes } from 'node:crypto';
import { BackgroundTasks } from './background.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { loadKeyRing } from './crypto/keys.js';
import { createPasswordHasher } from './crypto/passwords.js';
import type { PasswordHashingParams } from './crypto/params.js';
import type { FloorRecord } from './crypto/timing-floor.js';
import { createStaffVerifier } from './crypto/staff-tokens.js';
import { TokenService } from './crypto/tokens.js';
import type { Deps } from './deps.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer } from './mail/create-mailer.js';
import type { Mailer } from './mail/mailer.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/store.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { createWebhookSender, type SendWebhook } from './webhooks/sender.js';

export interface DepsOverrides {
  clock?: Clock;
  store?: Store;
  mailer?: Mailer;
  logger?: Logger;
  hashing?: PasswordHashingParams;
  /** How webhook tries are sent (tests: a resolver of their own). */
  sendWebhook?: SendWebhook;
}

/** The store setting that keeps how long every password check lasts at least (see `timing-floor.ts`). */
const PASSWORD_CHECK_FLOOR = 'password-check-floor';

export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = overrides.store ?? createStore(config);
  // Read at each scrape: the hasher and the dispatcher are made below.
  // Loaded only when on: the metrics library is a tenth of start-up.
  const metrics = config.metrics.enabled
    ? new (await import('./metrics.js')).Metrics({
        apiBase: config.basePath,
        hashingQueue: () => hasher.queueDepth(),
        webhookEndpointsRetrying: () => webhooks.endpointsRetrying,
      })
    : null;
  const transport =
    overrides.mailer ??
    createMailer({
      mode: config.mail,
      from: config.mailFrom,
      smtpUrl: config.smtpUrl,
      timeoutMs: config.smtpTimeoutMs,
      store,
      clock,
    });
  const mailer = metrics ? metrics.countingMailer(transport) : transport;
  const keyRing = await loadKeyRing(store, clock.now(), config.signingKey);

  let staffTokens = config.staffTokens;
  let demoStaffSecret: Uint8Array | undefined;
  if (config.demo) {
    // The demo mints staff tokens for its own tenant with a secret of its own, kept in the store:
    // never with a configured one, so a demo token can never be good anywhere else.
    const secret = await store.setSettingIfAbsent('demo-staff-secret', randomBytes(32).toString('base64url'));
    staffTokens = { secret };
    demoStaffSecret = new TextEncoder().encode(secret);
  }

  const hasher = createPasswordHasher(overrides.hashing, config.hashing, {
    load: () => store.getSetting<FloorRecord>(PASSWORD_CHECK_FLOOR),
    save: (record) => store.putSetting(PASSWORD_CHECK_FLOOR, record),
  });
  const webhooks = new WebhookDispatcher(
    store,
    overrides.sendWebhook ??
      createWebhookSender({
        allowPrivate: config.webhooks.allowPrivate,
        timeoutMs: config.webhooks.timeoutMs,
      }),
    config.webhooks,
    clock,
    logger,
    (ok) => metrics?.webhookDeliveries.inc({ outcome: ok ? 'ok' : 'failed' }),
  );

  return {
    config,
    store,
    mailer,
    clock,
    hasher,
    keyRing,
    tokens: new TokenService(keyRing, clock, {
      issuer: config.publicUrl,
      sessionAudience: config.sessionAudience,
    }),
    verifyStaffToken: await createStaffVerifier(staffTokens, clock),
    logger,
    background: new BackgroundTasks(logger, config.retryDelaysMs),
    webhooks,
    metrics,
    ...(demoStaffSecret ? { demoStaffSecret } : {}),
  };
}
