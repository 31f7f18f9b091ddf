/**
 * Demo-only endpoints (DEMO=1): staff tokens for the demo tenant, the outbox, the demo clients'
 * display extras and a reset, so every workflow can be followed with curl or the demo pages and
 * no mail server. Never mounted otherwise.
 */
import { Hono } from 'hono';
import { SignJWT } from 'jose';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { demoDocs } from './demo.docs.js';
import { validJson, validQuery } from '../http/guards.js';
import { DEMO_CLIENTS, DEMO_TENANT_ID, demoMailbox, resetDemo } from '../demo-seed.js';

export function demoRoutes(deps: Deps, demoStaffSecret: Uint8Array) {
  return new Hono()
    .post(
      '/staff-token',
      demoDocs.demoStaffToken,
      validJson(
        z
          .object({
            staffId: z.string().min(1).max(100).optional(),
            role: z.enum(['admin', 'staff']).optional(),
          })
          .strict(),
      ),
      async (c) => {
        const body = c.req.valid('json');
        const now = Math.floor(deps.clock.now() / 1000);
        const token = await new SignJWT({ tid: DEMO_TENANT_ID, role: body.role ?? 'staff' })
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
          .setSubject(body.staffId ?? 'front-desk')
          .setIssuedAt(now)
          .setExpirationTime(now + 8 * 3600)
          .sign(demoStaffSecret);
        return c.json({ token, tenant: DEMO_TENANT_ID });
      },
    )
    .get(
      '/outbox',
      demoDocs.demoOutbox,
      validQuery(z.object({ limit: z.coerce.number().int().min(1).max(500).optional() })),
      async (c) => {
        return c.json({ items: await demoMailbox(deps.store, c.req.valid('query').limit ?? 100) });
      },
    )
    .get('/clients', demoDocs.demoClients, (c) => {
      // What a studio's own system knows of its members (the staff API knows nothing of plans or
      // visits), so a demo portal can show a believable table beside the staff summaries.
      return c.json({ items: DEMO_CLIENTS.map(({ id, plan, lastVisit }) => ({ id, plan, lastVisit })) });
    })
    .post('/reset', demoDocs.demoReset, validJson(z.object({}).strict()), async (c) => {
      const result = await resetDemo(deps);
      deps.logger.info({ tenant: DEMO_TENANT_ID, ...result }, 'demo data reset');
      return c.json({ ok: true });
    });
}
