/**
 * The headers every answer carries, over real HTTP: on Node they are set on the outgoing response
 * before the route runs (`server/http/answer-headers.ts`), a path `app.request` never takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../server/http/answer-headers.js';
import { productionEnv } from '../helpers/app.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess(productionEnv({ LOG_LEVEL: 'warn' }));
}, 30_000);
afterAll(() => server?.stop());

const securityHeadersOf = (answer: Response) =>
  Object.fromEntries(SECURITY_HEADERS.map(([name]) => [name, answer.headers.get(name)]));

describe('answer headers over HTTP', () => {
  it('an API answer and an API error both carry every security header and Cache-Control: no-store, once each', async () => {
    const answers = [
      await fetch(`${server.url}/api/policy`),
      await fetch(`${server.url}/api/nothing-here`),
      await fetch(`${server.url}/api/forgot`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"identifier": ',
      }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 404, 400]);
    for (const answer of answers) {
      expect(securityHeadersOf(answer)).toEqual(Object.fromEntries(SECURITY_HEADERS));
      expect(answer.headers.get('Cache-Control')).toBe('no-store');
      await answer.arrayBuffer();
    }
  });

  it('the widget keeps its own Cross-Origin-Resource-Policy, a hosted page its own headers, the keys their cache time', async () => {
    const widget = await fetch(`${server.url}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(widget.headers.get('X-Content-Type-Options')).toBe('nosniff');
    await widget.arrayBuffer();

    const page = await fetch(`${server.url}/reset`);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
    expect(page.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    await page.arrayBuffer();

    const keys = await fetch(`${server.url}/.well-known/jwks.json`);
    expect(keys.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(keys.headers.get('Strict-Transport-Security')).toBe('max-age=15552000; includeSubDomains');
    await keys.arrayBuffer();
  });
});
