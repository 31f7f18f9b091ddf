/** The server's configuration: every environment variable, parsed once, with the embedded defaults of `npm start`. */
import { resolve } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import { DAY, HOUR, MINUTE } from './clock.js';
import type { StaffTokenConfig } from './crypto/staff-tokens.js';
import type { PolicySettings } from './policy/password-policy.js';

export interface Limits {
  /** Reset-link and invite mails sent by staff to one client, per rolling window (shared). */
  staffEmails: { limit: number; windowMs: number };
  /** Self-service mails (forgot, renew, verify resend) per account and per IP; over it they drop silently. */
  forgotPerAccount: { limit: number; windowMs: number };
  forgotPerIp: { limit: number; windowMs: number };
  /**
   * Login: consecutive failures before delays start, per account and IP (so one attacker cannot
   * lock a member out) and per account from anywhere (NIST: at most 100); the longest delay; and
   * the per-IP window over all accounts.
   */
  loginFreeFailures: number;
  loginAccountFreeFailures: number;
  loginMaxDelayMs: number;
  loginPerIp: { limit: number; windowMs: number };
}

export interface Config {
  port: number;
  publicUrl: string;
  basePath: string;
  storage: 'memory' | 'fs' | 'redis';
  dataDir: string;
  redisUrl?: string;
  mail: 'outbox' | 'smtp';
  smtpUrl?: string;
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
  bodyLimitBytes: number;
  logLevel: string;
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
  PUBLIC_URL: optionalText,
  API_BASE_PATH: optionalText,
  STORAGE: z.enum(['memory', 'fs', 'redis']).optional(),
  DATA_DIR: optionalText,
  REDIS_URL: optionalText,
  MAIL: z.enum(['outbox', 'smtp']).optional(),
  SMTP_URL: optionalText,
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
  LOG_LEVEL: optionalText,
});

export class ConfigError extends Error {
  override name = 'ConfigError';
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
  loginPerIp: { limit: 100, windowMs: 15 * MINUTE },
};

/** Reads the environment; throws ConfigError with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL is not a URL: ${publicUrl}`);
  }
  const storage = e.STORAGE ?? 'fs';
  if (storage === 'redis' && !e.REDIS_URL) throw new ConfigError('STORAGE=redis needs REDIS_URL.');
  const mail = e.MAIL ?? 'outbox';
  if (mail === 'smtp' && !e.SMTP_URL) throw new ConfigError('MAIL=smtp needs SMTP_URL.');
  if (e.PASSWORD_MAX_LENGTH < e.PASSWORD_MIN_LENGTH) {
    throw new ConfigError('PASSWORD_MAX_LENGTH must not be below PASSWORD_MIN_LENGTH.');
  }
  const demo = e.DEMO === '1' || e.DEMO === 'true';
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
    publicUrl,
    basePath: e.API_BASE_PATH ? '/' + e.API_BASE_PATH.replace(/^\/+|\/+$/g, '') : '/api',
    storage,
    dataDir: resolve(e.DATA_DIR ?? './.data'),
    redisUrl: e.REDIS_URL,
    mail,
    smtpUrl: e.SMTP_URL,
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
    bodyLimitBytes: 16 * 1024,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}
