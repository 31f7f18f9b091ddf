import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('takes PUBLIC_URL as scheme, host and path only', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://Portal.Example.com/auth/' })).toMatchObject({
      publicUrl: 'https://portal.example.com/auth',
      mountPath: '/auth',
    });
    for (const bad of [
      'https://example.com/auth?utm=1',
      'https://example.com/#x',
      'https://u:p@example.com',
      'ftp://x',
      'portal',
    ])
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/^PUBLIC_URL: /);
    // Never the value: it may hold credentials.
    expect(() => loadConfig({ PUBLIC_URL: 'https://u:secret-pass@example.com' })).toThrow(
      /^((?!secret-pass).)*$/s,
    );
  });

  it('names every bad variable at start, one line each, without repeating a value', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', STORAGE: 'floppy', METRICS: 'maybe', METRICS_TOKEN: 's3cret-short' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    const lines = message.split('\n').slice(1);
    expect(lines.map((line) => line.trim().split(':')[0]).sort()).toEqual([
      'METRICS',
      'METRICS_TOKEN',
      'PORT',
      'STORAGE',
    ]);
    for (const value of ['eighty', 'floppy', 'maybe', 's3cret-short']) expect(message).not.toContain(value);
  });

  it('needs nothing: the embedded defaults of npm start', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      publicUrl: 'http://localhost:8787',
      basePath: '/api',
      storage: 'fs',
      mail: 'outbox',
      mailFrom: 'no-reply@localhost',
      corsOrigins: [],
      demo: false,
      passwordPolicy: { minLength: 12, maxLength: 128, historySize: 5 },
      inviteMaxAgeMs: null,
    });
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.provisionApiKey).toBeUndefined();
  });

  it('demo mode turns provisioning on with the documented demo key, listens on loopback only', () => {
    const demo = loadConfig({ DEMO: '1' });
    expect(demo).toMatchObject({
      provisionApiKey: 'demo-provision-key',
      host: '127.0.0.1',
      mailUnset: false,
    });
    expect(loadConfig({ DEMO: '1', HOST: '::1', PUBLIC_URL: 'http://127.0.0.1:8787' }).host).toBe('::1');
  });

  /** @see issue 9, item 6: a deployment that forgot DEMO=0 must not run the demo with production settings. */
  it('demo mode refuses to start with anything production-like, naming each setting and the way out', () => {
    const production = {
      ADMIN_JWT_SECRET: 'a-real-secret',
      ADMIN_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----',
      ADMIN_JWKS_URL: 'https://auth.example.com/jwks.json',
      PROVISION_API_KEY: 'pk',
      MAIL: 'smtp',
      PUBLIC_URL: 'https://reset.example.com',
      HOST: '0.0.0.0',
      SIGNING_KEY: '{"kty":"OKP"}',
      SESSION_AUDIENCE: 'https://app.example.com',
      TRUST_PROXY: '1',
      CORS_ORIGINS: 'http://localhost:*,https://admin.example.com',
    };
    for (const [name, value] of Object.entries(production)) {
      const env = {
        DEMO: '1',
        [name]: value,
        ...(name === 'MAIL' ? { SMTP_URL: 'smtp://127.0.0.1:25' } : {}),
      };
      expect(() => loadConfig(env), name).toThrow(ConfigError);
      expect(() => loadConfig(env), name).toThrow(new RegExp(`${name}.*\\n.*\\n.*npm run serve`));
    }
    // Loopback addresses in any form are the demo's own.
    for (const url of [
      'http://localhost:9000',
      'http://127.0.0.1:8787',
      'http://[::1]:8787',
      'http://demo.localhost',
    ]) {
      expect(loadConfig({ DEMO: '1', PUBLIC_URL: url }).demo).toBe(true);
    }
    // Production keeps starting with the same settings, demo off.
    expect(loadConfig({ DEMO: '0', ...production, SMTP_URL: 'smtp://127.0.0.1:25' }).demo).toBe(false);
  });

  it('production without MAIL says mail is not delivered; an explicit MAIL=outbox is a choice', () => {
    expect(loadConfig({}).mailUnset).toBe(true);
    expect(loadConfig({ MAIL: 'outbox' }).mailUnset).toBe(false);
    expect(loadConfig({ MAIL: 'smtp', SMTP_URL: 'smtp://127.0.0.1:25' }).mailUnset).toBe(false);
  });

  it('a hashing concurrency set alone brings its own queue: 32 waiting for each hash at once', () => {
    expect(loadConfig({ HASH_CONCURRENCY: '1' }).hashing).toEqual({ concurrency: 1, queueLimit: 32 });
    expect(loadConfig({ HASH_CONCURRENCY: '8' }).hashing).toEqual({ concurrency: 8, queueLimit: 256 });
    expect(loadConfig({ HASH_CONCURRENCY: '8', HASH_QUEUE_LIMIT: '5' }).hashing).toEqual({
      concurrency: 8,
      queueLimit: 5,
    });
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '9000',
      PUBLIC_URL: 'https://reset.example.com/',
      STORAGE: 'redis',
      REDIS_URL: 'redis://127.0.0.1:6390',
      MAIL: 'smtp',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      MAIL_FROM: 'help@example.com',
      ADMIN_JWT_SECRET: 's3cret',
      PROVISION_API_KEY: 'pk',
      SMTP_TIMEOUT_MS: '3000',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      DEMO: '0',
      HOST: '10.0.0.5',
      PASSWORD_MIN_LENGTH: '15',
      INVITE_MAX_AGE_DAYS: '30',
      TRUST_PROXY: '1',
      HASH_CONCURRENCY: '3',
      HASH_QUEUE_LIMIT: '10',
    });
    expect(config).toMatchObject({
      port: 9000,
      publicUrl: 'https://reset.example.com',
      storage: 'redis',
      redisUrl: 'redis://127.0.0.1:6390',
      mail: 'smtp',
      smtpUrl: 'smtp://127.0.0.1:2525',
      mailFrom: 'help@example.com',
      staffTokens: { secret: 's3cret' },
      provisionApiKey: 'pk',
      smtpTimeoutMs: 3000,
      corsOrigins: ['https://a.example', 'https://b.example'],
      demo: false,
      host: '10.0.0.5',
      passwordPolicy: { minLength: 15 },
      inviteMaxAgeMs: 30 * 24 * 3600 * 1000,
      trustProxyHops: 1,
      hashing: { concurrency: 3, queueLimit: 10 },
    });
  });

  it('refuses contradictory or malformed settings with a clear message', () => {
    expect(() => loadConfig({ STORAGE: 'redis' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ MAIL: 'smtp' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ STORAGE: 'mongo' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ SIGNING_KEY: '{broken' })).toThrow(/SIGNING_KEY/);
    expect(() => loadConfig({ PASSWORD_MIN_LENGTH: '4' })).toThrow(ConfigError);
  });
});
