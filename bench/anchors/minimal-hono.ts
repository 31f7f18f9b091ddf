/**
 * The anchor the HTTP benchmarks compare the server with: a minimal Hono app on
 * @hono/node-server answering the same JSON the server answers (`GET /api/policy`) and a 202 to
 * `POST /api/forgot` after parsing its JSON body, with nothing else: no middleware, no store.
 * It shows what Node and Hono cost on this machine, so the server's figures read as a ratio.
 *   PORT=9001 tsx bench/anchors/minimal-hono.ts
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const policy = {
  minLength: 12,
  maxLength: 128,
  historySize: 5,
  rules: [
    { id: 'min_length', value: 12 },
    { id: 'max_length', value: 128 },
    { id: 'not_common' },
    { id: 'no_personal_info' },
    { id: 'not_recent', value: 5 },
  ],
};

const app = new Hono()
  .get('/healthz', (c) => c.json({ ok: true }))
  .get('/api/policy', (c) => c.json(policy))
  .post('/api/forgot', async (c) => {
    await c.req.json();
    return c.json({ ok: true }, 202);
  });

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 9001), hostname: '127.0.0.1' });
