/** The server's configuration: every environment variable, parsed once, with the embedded defaults of `npm start`. */
import { resolve } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import { DAY, HOUR, MINUTE } from './clock.js';
import { defaultHashingAdmission } from './crypto/passwords.js';
import type { HashingAdmission } from './crypto/hashing-gate.js';
import type { StaffTokenConfig } from './crypto/staff-tokens.js';
import type { PolicySettings } from './policy/password-policy.js';
import { webhookConfig, type WebhookConfig } from './webhooks/webhook-config.js';

/** A rolling window: at most `limit` in any `windowMs`. */
export interface WindowLimit {
  limit: number;
  windowMs: number;
}

export interface Limits {
  /** Reset-link and invite mails sent by staff to one client, per rolling window (shared). */
  staffEmails: WindowLimit;
  /** Self-service mails (forgot, renew, verify resend) per account and per IP; over it they drop silently. */
  forgotPerAccount: WindowLimit;
  forgotPerIp: WindowLimit;
  /**
   * Login: consecutive failures before delays start, per typed identifier and address (and per
   * trusted device), and per account from unknown devices (NIST: at most 100); the longest delay;
   * how long failures are remembered; and the per-address window over all accounts.
   */
  loginFreeFailures: number;
  loginAccountFreeFailures: number;
  loginMaxDelayMs: number;
  loginFailureMemoryMs: number;
  loginPerIp: WindowLimit;
  /** How long a password check in flight holds its place (a crashed server's place frees itself). */
  attemptLeaseMs: number;
  /** Wrong short codes (reset by code): per typed identifier and address, per identifier, per address. */
  codePerAddress: WindowLimit;
  codePerIdentifier: WindowLimit;
  codePerIp: WindowLimit;
  /** "Already in use" answers about another company's client, per staff member. */
  staffInUseAnswers: WindowLimit;
}

export interface Config {
  port: number;
  /** Address to listen on; the demo listens on loopback only. */
  host?: string;
  publicUrl: string;
  /**
   * The path of PUBLIC_URL (`/auth` for https://example.com/auth), '' at the root: where the app is
   * mounted (`app.route('/auth', createApp(deps))`, or a proxy's prefix), for the links and
   * scripts of the hosted pages.
   */
  mountPath: string;
  basePath: string;
  storage: 'memory' | 'fs' | 'redis' | 'postgres';
  dataDir: string;
  redisUrl?: string;
  /** Nodes of a Redis Cluster (from REDIS_CLUSTER_NODES or a `redis+cluster://` REDIS_URL). */
  redisCluster?: Array<{ host: string; port: number }>;
  /** `postgres://…` URL of the database; for `postgres`. */
  databaseUrl?: string;
  mail: 'outbox' | 'smtp';
  /** True when MAIL was not set outside the demo: mail goes to an outbox nobody reads (`/readyz` says so). */
  mailUnset: boolean;
  smtpUrl?: string;
  /** SMTP connection, greeting and inactivity timeout; a whole send is cut off after three times this. */
  smtpTimeoutMs: number;
  mailFrom: string;
  staffTokens: StaffTokenConfig;
  provisionApiKey?: string;
  corsOrigins: string[];
  /** Trust this many proxies in front of the server when reading `X-Forwarded-For` (0: use the socket). */
  trustProxyHops: number;
  demo: boolean;
  signingKey?: JWK;
  sessionAudience: string;
  passwordPolicy: PolicySettings;
  /** Invite links live until used or replaced, or this long when set. */
  inviteMaxAgeMs: number | null;
  /** Lifetime of staff-set one-time and temporary passwords. */
  staffPasswordMaxAgeMs: number;
  limits: Limits;
  hashing: HashingAdmission;
  /** Waits before each new try of background work that failed in a way that may pass (mail, storage). */
  retryDelaysMs: number[];
  bodyLimitBytes: number;
  webhooks: WebhookConfig;
  logLevel: string;
  /** METRICS=on: Prometheus metrics at /metrics; METRICS_TOKEN, if set, is asked for as a Bearer token. */
  metrics: { enabled: boolean; token?: string };
}

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));
const integer = (fallback: number, min = 0) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .optional()
    .transform((value) => value ?? fallback);

const envSchema = z.object({
  PORT: integer(8787, 1),
  HOST: optionalText,
  PUBLIC_URL: optionalText,
  API_BASE_PATH: optionalText,
  STORAGE: z.enum(['memory', 'fs', 'redis', 'postgres']).optional(),
  DATA_DIR: optionalText,
  REDIS_URL: optionalText,
  REDIS_CLUSTER_NODES: optionalText,
  DATABASE_URL: optionalText,
  MAIL: z.enum(['outbox', 'smtp']).optional(),
  SMTP_URL: optionalText,
  SMTP_TIMEOUT_MS: integer(10_000, 100),
  MAIL_FROM: optionalText,
  ADMIN_JWT_SECRET: optionalText,
  ADMIN_PUBLIC_KEY: optionalText,
  ADMIN_JWKS_URL: optionalText,
  ADMIN_JWT_ALGORITHMS: optionalText,
  ADMIN_JWT_ISSUER: optionalText,
  ADMIN_JWT_AUDIENCE: optionalText,
  PROVISION_API_KEY: optionalText,
  CORS_ORIGINS: optionalText,
  TRUST_PROXY: integer(0),
  DEMO: optionalText,
  SIGNING_KEY: optionalText,
  SESSION_AUDIENCE: optionalText,
  PASSWORD_MIN_LENGTH: integer(12, 8),
  PASSWORD_MAX_LENGTH: integer(128, 64),
  INVITE_MAX_AGE_DAYS: z.coerce.number().positive().optional(),
  STAFF_PASSWORD_MAX_AGE_DAYS: z.coerce.number().positive().optional(),
  HASH_CONCURRENCY: z.coerce.number().int().min(1).optional(),
  HASH_QUEUE_LIMIT: z.coerce.number().int().min(0).optional(),
  WEBHOOK_ENDPOINTS: optionalText,
  WEBHOOKS_ALLOW_PRIVATE: optionalText,
  WEBHOOKS_FIRST_RETRY_MS: z.coerce.number().int().min(10).optional(),
  WEBHOOKS_RETRY_HOURS: z.coerce.number().positive().optional(),
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).optional(),
  WEBHOOKS_POLL_MS: z.coerce.number().int().min(10).optional(),
  LOG_LEVEL: optionalText,
  METRICS: z.enum(['on', 'off', '1', '0', 'true', 'false']).optional(),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The address members and mail links reach the server at: scheme, host and an optional path (where
 * the app is mounted), nothing else; a query, a fragment or credentials would end up in every link.
 */
function publicUrlOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      'PUBLIC_URL: not a URL (e.g. https://reset.example.com or https://example.com/auth)',
    );
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(
      'PUBLIC_URL: an http(s) address with an optional path only, no query, fragment or credentials',
    );
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** Under DEMO=1 (and no CORS_ORIGINS): pages served from any local port may call the API. */
export const DEMO_CORS_ORIGINS = 'http://localhost:*,http://127.0.0.1:*';

/** Under DEMO=1 provisioning works out of the box with this documented key; never in production. */
export const DEMO_PROVISION_KEY = 'demo-provision-key';

export const defaultLimits: Limits = {
  staffEmails: { limit: 5, windowMs: 24 * HOUR },
  forgotPerAccount: { limit: 5, windowMs: HOUR },
  forgotPerIp: { limit: 30, windowMs: HOUR },
  loginFreeFailures: 5,
  loginAccountFreeFailures: 100,
  loginMaxDelayMs: 15 * MINUTE,
  loginFailureMemoryMs: 24 * HOUR,
  loginPerIp: { limit: 100, windowMs: 15 * MINUTE },
  attemptLeaseMs: 30_000,
  codePerAddress: { limit: 5, windowMs: 24 * HOUR },
  codePerIdentifier: { limit: 20, windowMs: 24 * HOUR },
  codePerIp: { limit: 30, windowMs: HOUR },
  staffInUseAnswers: { limit: 20, windowMs: HOUR },
};

/** 1 s, 2 s, 4 s … about a minute in all, which outlasts a store or mail server restarting. */
export const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 32000];

/**
 * A cluster's nodes, from `REDIS_CLUSTER_NODES=host:port,host:port` or a
 * `redis+cluster://host:port,host:port` URL; undefined for a single server.
 */
function clusterNodes(
  list: string | undefined,
  url: string | undefined,
): Array<{ host: string; port: number }> | undefined {
  const fromUrl = url?.match(/^redis\+cluster:\/\/(.+)$/i)?.[1];
  const spec = list ?? fromUrl;
  if (!spec) return undefined;
  return spec.split(',').map((node) => {
    const match = /^\s*\[?([^\]\s]+?)\]?:(\d+)\s*$/.exec(node);
    if (!match) throw new ConfigError(`A Redis cluster node must be host:port, not "${node.trim()}".`);
    return { host: match[1], port: Number(match[2]) };
  });
}

/** Whether a URL's host is this machine only (`localhost`, `*.localhost`, 127.x.x.x, `::1`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1'
  );
}

/**
 * The demo mints staff tokens for anyone and publishes every mail in its outbox: it must never run
 * with anything a real deployment would set, nor be reachable from another machine.
 */
function refuseProductionSettingsInDemo(e: z.infer<typeof envSchema>, publicUrl: string): void {
  const remoteOrigins = (e.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin && !isLoopbackHost(new URL(origin.replace(/:\*$/, '')).hostname));
  const found = [
    e.ADMIN_JWT_SECRET && 'ADMIN_JWT_SECRET',
    e.ADMIN_PUBLIC_KEY && 'ADMIN_PUBLIC_KEY',
    e.ADMIN_JWKS_URL && 'ADMIN_JWKS_URL',
    e.PROVISION_API_KEY && 'PROVISION_API_KEY',
    e.SIGNING_KEY && 'SIGNING_KEY',
    e.SESSION_AUDIENCE && 'SESSION_AUDIENCE',
    e.MAIL === 'smtp' && 'MAIL=smtp',
    e.TRUST_PROXY > 0 && 'TRUST_PROXY',
    !isLoopbackHost(new URL(publicUrl).hostname) && `PUBLIC_URL=${publicUrl}`,
    e.HOST && !isLoopbackHost(e.HOST) && `HOST=${e.HOST}`,
    remoteOrigins.length > 0 && `CORS_ORIGINS=${remoteOrigins.join(',')}`,
  ].filter((setting): setting is string => Boolean(setting));
  if (found.length === 0) return;
  throw new ConfigError(
    `Demo mode (DEMO=1, the default of \`npm start\`) refuses production settings: ${found.join(', ')}.\n` +
      '  The demo mints staff tokens for anyone and shows every mail in its outbox.\n' +
      '  Start the production server with `npm run serve` (DEMO=0), or unset these to try the demo.',
  );
}

/** Reads the environment; throws ConfigError with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const publicUrl = publicUrlOf(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const storage = e.STORAGE ?? 'fs';
  const redisCluster = clusterNodes(e.REDIS_CLUSTER_NODES, e.REDIS_URL);
  if (storage === 'redis' && !e.REDIS_URL && !redisCluster) {
    throw new ConfigError('STORAGE=redis needs REDIS_URL (or REDIS_CLUSTER_NODES for a cluster).');
  }
  if (storage === 'postgres' && !/^postgres(ql)?:\/\//i.test(e.DATABASE_URL ?? '')) {
    throw new ConfigError(
      e.DATABASE_URL
        ? 'DATABASE_URL must be a postgres:// (or postgresql://) URL.'
        : 'STORAGE=postgres needs DATABASE_URL (postgres://user:password@host:5432/database).',
    );
  }
  const mail = e.MAIL ?? 'outbox';
  if (mail === 'smtp' && !e.SMTP_URL) throw new ConfigError('MAIL=smtp needs SMTP_URL.');
  if (e.PASSWORD_MAX_LENGTH < e.PASSWORD_MIN_LENGTH) {
    throw new ConfigError('PASSWORD_MAX_LENGTH must not be below PASSWORD_MIN_LENGTH.');
  }
  const demo = e.DEMO === '1' || e.DEMO === 'true';
  if (demo) refuseProductionSettingsInDemo(e, publicUrl);
  let webhooks: WebhookConfig;
  try {
    webhooks = webhookConfig(e);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  let signingKey: JWK | undefined;
  if (e.SIGNING_KEY) {
    try {
      signingKey = JSON.parse(e.SIGNING_KEY) as JWK;
    } catch {
      throw new ConfigError('SIGNING_KEY must be a private Ed25519 key as JWK JSON.');
    }
  }
  return {
    port: e.PORT,
    host: e.HOST ?? (demo ? '127.0.0.1' : undefined),
    publicUrl,
    mountPath: new URL(publicUrl).pathname.replace(/\/+$/, ''),
    basePath: e.API_BASE_PATH ? '/' + e.API_BASE_PATH.replace(/^\/+|\/+$/g, '') : '/api',
    storage,
    dataDir: resolve(e.DATA_DIR ?? './.data'),
    redisUrl: redisCluster ? undefined : e.REDIS_URL,
    ...(redisCluster ? { redisCluster } : {}),
    databaseUrl: e.DATABASE_URL,
    mail,
    mailUnset: !demo && e.MAIL === undefined,
    smtpUrl: e.SMTP_URL,
    smtpTimeoutMs: e.SMTP_TIMEOUT_MS,
    mailFrom: e.MAIL_FROM ?? 'no-reply@localhost',
    staffTokens: {
      secret: e.ADMIN_JWT_SECRET,
      publicKey: e.ADMIN_PUBLIC_KEY,
      jwksUrl: e.ADMIN_JWKS_URL,
      algorithms: e.ADMIN_JWT_ALGORITHMS?.split(',')
        .map((alg) => alg.trim())
        .filter(Boolean),
      issuer: e.ADMIN_JWT_ISSUER,
      audience: e.ADMIN_JWT_AUDIENCE,
    },
    provisionApiKey: e.PROVISION_API_KEY ?? (demo ? DEMO_PROVISION_KEY : undefined),
    // Demo mode: a page on any local port can try the elements against `npm start`.
    corsOrigins: (e.CORS_ORIGINS ?? (demo ? DEMO_CORS_ORIGINS : ''))
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    trustProxyHops: e.TRUST_PROXY,
    demo,
    signingKey,
    sessionAudience: e.SESSION_AUDIENCE ?? publicUrl,
    passwordPolicy: { minLength: e.PASSWORD_MIN_LENGTH, maxLength: e.PASSWORD_MAX_LENGTH, historySize: 5 },
    inviteMaxAgeMs: e.INVITE_MAX_AGE_DAYS ? e.INVITE_MAX_AGE_DAYS * DAY : null,
    staffPasswordMaxAgeMs: (e.STAFF_PASSWORD_MAX_AGE_DAYS ?? 7) * DAY,
    limits: defaultLimits,
    hashing: withQueueLimit(defaultHashingAdmission(e.HASH_CONCURRENCY), e.HASH_QUEUE_LIMIT),
    retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
    bodyLimitBytes: 16 * 1024,
    webhooks,
    logLevel: e.LOG_LEVEL ?? 'info',
    metrics: {
      enabled: ['on', '1', 'true'].includes(e.METRICS ?? 'off'),
      ...(e.METRICS_TOKEN ? { token: e.METRICS_TOKEN } : {}),
    },
  };
}

/** The admission for the configured concurrency, its queue limit as configured when it is. */
function withQueueLimit(admission: HashingAdmission, queueLimit: number | undefined): HashingAdmission {
  return queueLimit === undefined ? admission : { ...admission, queueLimit };
}
