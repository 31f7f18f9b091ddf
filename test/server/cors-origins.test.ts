import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { originAllowed } from '../../server/http/cors-origins.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('allowed origins', () => {
  it('match exactly, or any port of a host with `:*`, and nothing else', () => {
    const list = ['https://app.example', 'http://localhost:*'];
    expect(originAllowed('https://app.example', list)).toBe(true);
    expect(originAllowed('http://localhost:5173', list)).toBe(true);
    expect(originAllowed('http://localhost:3000', list)).toBe(true);
    expect(originAllowed('https://app.example.evil', list)).toBe(false);
    expect(originAllowed('http://localhost.evil:80', list)).toBe(false);
    expect(originAllowed('http://localhost:80.evil', list)).toBe(false);
    expect(originAllowed('http://localhost', list)).toBe(false);
    expect(originAllowed('null', list)).toBe(false);
  });

  it('demo mode allows local pages on any port unless CORS_ORIGINS names others on this machine', () => {
    expect(loadConfig({ DEMO: '1' }).corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    expect(loadConfig({ DEMO: '1', CORS_ORIGINS: 'http://localhost:3000' }).corsOrigins).toEqual([
      'http://localhost:3000',
    ]);
    // A site on the internet calling the demo is a production setting: refused.
    expect(() => loadConfig({ DEMO: '1', CORS_ORIGINS: 'https://a.example' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });
});

describe('CORS in demo mode', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('answers a local page’s preflight and request, and not another site’s', async () => {
    t = await createTestApp({ env: { DEMO: '1' } });
    const preflight = await t.request('OPTIONS', '/api/forgot', {
      headers: {
        Origin: 'http://localhost:5500',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5500');
    const res = await t.request('POST', '/api/forgot', {
      body: { identifier: 'x@example.com' },
      headers: { Origin: 'http://localhost:5500' },
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5500');
    const evil = await t.request('POST', '/api/forgot', {
      body: { identifier: 'x@example.com' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
