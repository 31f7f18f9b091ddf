/** Staff endpoints: every action scoped to the tenant of the staff token. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { staffDocs } from './staff.docs.js';
import { requireStaff, type StaffEnv } from '../http/auth.js';
import { validJson, validQuery } from '../http/guards.js';
import { localeOf } from '../http/locale.js';
import { sendClientLink, setClientPassword, type StaffActor } from '../flows/staff-credentials.js';
import { listClientEvents } from '../flows/client-activity.js';
import { createClient, getClient, listClients, patchClient } from '../flows/staff-clients.js';

const name = z.string().trim().min(1).max(200);
const email = z.string().trim().max(320).pipe(z.email());
const username = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\s@]+$/u, 'no spaces or @');
/** No length cap here: the body limit bounds it, and the policy rejects over-long ones with `max_length`. */
const password = z.string().min(1);

const passwordRequest = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('custom'),
      password,
      delivery: z.enum(['email', 'none']),
      temporary: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      mode: z.literal('random'),
      delivery: z.enum(['email', 'display']),
      temporary: z.boolean().optional(),
    })
    .strict(),
]);

const createBody = z
  .object({
    name,
    email: email.nullish(),
    username: username.nullish(),
    emailConfirmed: z.boolean().optional(),
    loginEnabled: z.boolean().optional(),
    credentials: z.union([passwordRequest, z.object({ invite: z.literal(true) }).strict()]).optional(),
  })
  .strict();

/** Only the documented fields: anything else is refused, never silently applied (mass assignment). */
const patchBody = z
  .object({
    name: name.optional(),
    email: email.optional(),
    loginEnabled: z.boolean().optional(),
    emailConfirmed: z.boolean().optional(),
  })
  .strict();

export function staffRoutes(deps: Deps) {
  const actorOf = (staff: StaffEnv['Variables']['staff']): StaffActor => ({
    kind: 'staff',
    id: staff.id,
    tenantId: staff.tenantId,
  });

  return new Hono<StaffEnv>()
    .use('*', requireStaff(deps.verifyStaffToken))
    .get(
      '/clients',
      staffDocs.searchClients,
      validQuery(
        z.object({
          q: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
          cursor: z.string().max(4096).optional(),
        }),
      ),
      async (c) => {
        const query = c.req.valid('query');
        return c.json(
          await listClients(
            deps,
            actorOf(c.get('staff')),
            { ...query, limit: query.limit ?? 50 },
            localeOf(c),
          ),
        );
      },
    )
    .post('/clients', staffDocs.createClient, validJson(createBody), async (c) => {
      const { summary, password: shown } = await createClient(
        deps,
        actorOf(c.get('staff')),
        c.req.valid('json'),
        localeOf(c),
      );
      return c.json({ ...summary, ...(shown ? { password: shown } : {}) }, 201);
    })
    .get('/clients/:id', staffDocs.getClient, async (c) =>
      c.json(await getClient(deps, actorOf(c.get('staff')), c.req.param('id'), localeOf(c))),
    )
    .patch('/clients/:id', staffDocs.updateClient, validJson(patchBody), async (c) => {
      return c.json(
        await patchClient(deps, actorOf(c.get('staff')), c.req.param('id'), c.req.valid('json'), localeOf(c)),
      );
    })
    .post('/clients/:id/password', staffDocs.setClientPassword, validJson(passwordRequest), async (c) => {
      return c.json(
        await setClientPassword(deps, actorOf(c.get('staff')), c.req.param('id'), c.req.valid('json')),
      );
    })
    .post('/clients/:id/reset-link', staffDocs.sendResetLink, async (c) => {
      return c.json(await sendClientLink(deps, actorOf(c.get('staff')), c.req.param('id'), 'reset'), 202);
    })
    .post('/clients/:id/invite', staffDocs.resendWelcome, async (c) => {
      return c.json(await sendClientLink(deps, actorOf(c.get('staff')), c.req.param('id'), 'invite'), 202);
    })
    .get(
      '/clients/:id/events',
      staffDocs.listClientEvents,
      validQuery(z.object({ limit: z.coerce.number().int().min(1).max(500).optional() })),
      async (c) => {
        const { limit } = c.req.valid('query');
        return c.json(
          await listClientEvents(deps, actorOf(c.get('staff')), c.req.param('id'), limit ?? 50, localeOf(c)),
        );
      },
    );
}
