/** Member endpoints: policy, forgot, links, reset, verify-email, login, forced and voluntary password change, session. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { memberDocs } from './member.docs.js';
import { AppError } from '../errors.js';
import { describePolicy } from '../policy/password-policy.js';
import { bearer } from '../http/auth.js';
import { clientIp } from '../http/client-ip.js';
import { deviceTokensFromCookie, keepDeviceTokenInCookie } from '../http/device-cookie.js';
import { validJson, validQuery } from '../http/guards.js';
import { policyFor } from '../flows/context.js';
import { resetWithCode, resetWithToken } from '../flows/link-reset.js';
import { login } from '../flows/login.js';
import { changeOwnPassword, completeForcedChange } from '../flows/member-password.js';
import { endSession, requireSession } from '../flows/sessions.js';
import { inspectLink, renewLink, requestPasswordReset, verifyEmail } from '../flows/self-service.js';

const identifier = z.string().trim().min(1).max(320);
/** No length cap here: the body limit bounds it, and the policy rejects over-long ones with `max_length`. */
const password = z.string().min(1);
// Any non-empty text: a mangled or cut link is `link_invalid` (which says what to do), not a field error.
const token = z.string().min(1).max(4096);
const tenant = z.string().trim().min(1).max(200);

export function memberRoutes(deps: Deps) {
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.config.trustProxyHops);

  return (
    new Hono()
      // An empty `?tenant=` means no tenant: the server's own rules.
      .get(
        '/policy',
        memberDocs.getPasswordPolicy,
        validQuery(z.object({ tenant: z.string().trim().max(200).optional() })),
        async (c) => {
          const { tenant: tenantId } = c.req.valid('query');
          return c.json(describePolicy(await policyFor(deps, tenantId ? [tenantId] : [])));
        },
      )
      .post(
        '/forgot',
        memberDocs.requestPasswordReset,
        validJson(z.object({ identifier, tenant: tenant.optional() })),
        (c) => {
          const body = c.req.valid('json');
          requestPasswordReset(deps, { ...body, ip: ip(c) });
          return c.json({ ok: true }, 202);
        },
      )
      .post('/links/inspect', memberDocs.inspectLink, validJson(z.object({ token })), async (c) => {
        return c.json(await inspectLink(deps, c.req.valid('json').token));
      })
      .post('/links/renew', memberDocs.renewLink, validJson(z.object({ token })), async (c) => {
        await renewLink(deps, { token: c.req.valid('json').token, ip: ip(c) });
        return c.json({ ok: true }, 202);
      })
      .post(
        '/reset',
        memberDocs.resetPassword,
        validJson(
          z.union([
            z.object({ token, password }).strict(),
            z.object({ identifier, code: z.string().trim().min(4).max(32), password }).strict(),
          ]),
        ),
        async (c) => {
          const body = c.req.valid('json');
          if ('token' in body) await resetWithToken(deps, body);
          else await resetWithCode(deps, { ...body, ip: ip(c) });
          return c.json({ ok: true });
        },
      )
      .post('/verify-email', memberDocs.verifyEmail, validJson(z.object({ token })), async (c) => {
        await verifyEmail(deps, c.req.valid('json').token);
        return c.json({ ok: true });
      })
      .post(
        '/login',
        memberDocs.logIn,
        validJson(
          z.object({
            identifier,
            password,
            tenant: tenant.optional(),
            // Device tokens from earlier logins (of any account on this browser); see device-trust.ts.
            devices: z.array(token).max(10).optional(),
          }),
        ),
        async (c) => {
          const body = c.req.valid('json');
          const fromCookie = deviceTokensFromCookie(c);
          const answer = await login(deps, {
            ...body,
            devices: [...(body.devices ?? []), ...fromCookie],
            ip: ip(c),
          });
          keepDeviceTokenInCookie(c, deps, fromCookie, answer.device);
          return c.json(answer);
        },
      )
      .post(
        '/password/force-change',
        memberDocs.completeForcedChange,
        validJson(z.object({ challenge: token, password })),
        async (c) => {
          return c.json(await completeForcedChange(deps, c.req.valid('json')));
        },
      )
      .post(
        '/password/change',
        memberDocs.changePassword,
        validJson(z.object({ currentPassword: password, password })),
        async (c) => {
          const session = bearer(c);
          if (!session) throw new AppError('session_invalid');
          const result = await changeOwnPassword(deps, { ...c.req.valid('json'), session });
          return c.json({ ok: true, ...result });
        },
      )
      .post('/logout', memberDocs.logOut, async (c) => {
        const session = bearer(c);
        if (!session) throw new AppError('session_invalid');
        await endSession(deps, session);
        return c.body(null, 204);
      })
      .get('/session', memberDocs.getSession, async (c) => {
        const session = bearer(c);
        if (!session) throw new AppError('session_invalid');
        const { claims } = await requireSession(deps, session);
        return c.json({
          sub: claims.sub,
          ...(claims.tid ? { tid: claims.tid } : {}),
          iss: claims.iss,
          aud: claims.aud,
          iat: claims.iat,
          exp: claims.exp,
          jti: claims.jti,
        });
      })
  );
}
