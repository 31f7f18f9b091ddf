import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('configuration', () => {
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

  it('demo mode turns provisioning on with the documented demo key unless one is given', () => {
    expect(loadConfig({ DEMO: '1' }).provisionApiKey).toBe('demo-provision-key');
    expect(loadConfig({ DEMO: '1', PROVISION_API_KEY: 'mine' }).provisionApiKey).toBe('mine');
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
      CORS_ORIGINS: 'https://a.example, https://b.example',
      DEMO: '1',
      PASSWORD_MIN_LENGTH: '15',
      INVITE_MAX_AGE_DAYS: '30',
      TRUST_PROXY: '1',
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
      corsOrigins: ['https://a.example', 'https://b.example'],
      demo: true,
      passwordPolicy: { minLength: 15 },
      inviteMaxAgeMs: 30 * 24 * 3600 * 1000,
      trustProxyHops: 1,
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
