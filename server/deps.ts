/** Everything the app needs from outside, built once: store, mail, clock, crypto, logger. */
import type { BackgroundTasks } from './background.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { KeyRing } from './crypto/keys.js';
import type { PasswordHasher } from './crypto/passwords.js';
import type { StaffVerifier } from './crypto/staff-tokens.js';
import type { TokenService } from './crypto/tokens.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mail/mailer.js';
import type { Store } from './store/store.js';
import type { WebhookDispatcher } from './webhooks/dispatcher.js';
import type { Metrics } from './metrics.js';

export interface Deps {
  config: Config;
  store: Store;
  mailer: Mailer;
  clock: Clock;
  hasher: PasswordHasher;
  keyRing: KeyRing;
  tokens: TokenService;
  verifyStaffToken: StaffVerifier;
  logger: Logger;
  background: BackgroundTasks;
  /** Sends queued webhook deliveries; `start()`ed by the server (tests run it when they want). */
  webhooks: WebhookDispatcher;
  /** With METRICS=on: the Prometheus registry and its counters. */
  metrics: Metrics | null;
  /** Under DEMO=1 with an HS256 staff secret: the key the demo signs its staff tokens with. */
  demoStaffSecret?: Uint8Array;
}
