/** Member endpoints: policy, forgot, links, reset, verify-email, login, forced and voluntary password change, session. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { describePolicy } from '../policy/password-policy.js';
import { bearer } from '../http/auth.js';
import { clientIp } from '../http/client-ip.js';
import { deviceTokensFromCookie, keepDeviceTokenInCookie } from '../http/device-cookie.js';
import { validJson, validQuery } from '../http/guards.js';
import { documented } from '../http/openapi.js';
import * as answers from '../http/api-schemas.js';
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
        documented({
          id: 'getPasswordPolicy',
          summary: "The password rules (a tenant's, or the server's)",
          tag: 'Member',
          answer: [200, answers.passwordPolicy, 'The rules, in the order to list them'],
          input: true,
        }),
        validQuery(z.object({ tenant: z.string().trim().max(200).optional() })),
        async (c) => {
          const { tenant: tenantId } = c.req.valid('query');
          return c.json(describePolicy(await policyFor(deps, tenantId ? [tenantId] : [])));
        },
      )
      .post(
        '/forgot',
        documented({
          id: 'requestPasswordReset',
          summary: 'Mail a reset link and code, if the identifier is known',
          description: 'Always 202 with the same body, whether or not an account matches.',
          tag: 'Member',
          answer: [202, answers.ok, 'Accepted (a mail leaves if an account matches)'],
          input: true,
        }),
        validJson(z.object({ identifier, tenant: tenant.optional() })),
        (c) => {
          const body = c.req.valid('json');
          requestPasswordReset(deps, { ...body, ip: ip(c) });
          return c.json({ ok: true }, 202);
        },
      )
      .post(
        '/links/inspect',
        documented({
          id: 'inspectLink',
          summary: 'What a mailed link is for, without using it',
          tag: 'Member',
          answer: [200, answers.linkInspection, 'The link is usable'],
          errors: ['link_invalid', 'link_expired', 'link_used', 'link_replaced', 'link_revoked'],
          input: true,
        }),
        validJson(z.object({ token })),
        async (c) => {
          return c.json(await inspectLink(deps, c.req.valid('json').token));
        },
      )
      .post(
        '/links/renew',
        documented({
          id: 'renewLink',
          summary: 'Mail a fresh link in place of an expired, replaced or revoked one',
          tag: 'Member',
          answer: [202, answers.ok, 'Accepted (a mail leaves if the account can still use one)'],
          errors: ['link_invalid', 'too_many_attempts'],
          input: true,
        }),
        validJson(z.object({ token })),
        async (c) => {
          await renewLink(deps, { token: c.req.valid('json').token, ip: ip(c) });
          return c.json({ ok: true }, 202);
        },
      )
      .post(
        '/reset',
        documented({
          id: 'resetPassword',
          summary: 'Set a new password with a mailed link (token) or code',
          tag: 'Member',
          answer: [200, answers.ok, 'The password is set; other sessions end'],
          errors: [
            'link_invalid',
            'link_expired',
            'link_used',
            'link_replaced',
            'link_revoked',
            'code_invalid',
            'password_rejected',
            'too_many_attempts',
          ],
          input: true,
        }),
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
      .post(
        '/verify-email',
        documented({
          id: 'verifyEmail',
          summary: 'Confirm an email address with its mailed link',
          tag: 'Member',
          answer: [200, answers.ok, 'Confirmed'],
          errors: ['link_invalid', 'link_expired', 'link_used', 'link_replaced', 'link_revoked'],
          input: true,
        }),
        validJson(z.object({ token })),
        async (c) => {
          await verifyEmail(deps, c.req.valid('json').token);
          return c.json({ ok: true });
        },
      )
      .post(
        '/login',
        documented({
          id: 'logIn',
          summary: 'Log a member in',
          description:
            'A temporary or one-time password answers `password_change_required` with a challenge.',
          tag: 'Member',
          answer: [200, answers.loginAnswer, 'Logged in, or a password change is required first'],
          errors: [
            'invalid_credentials',
            'account_disabled',
            'email_not_confirmed',
            'too_many_attempts',
            'temporary_password_expired',
            'server_busy',
          ],
          input: true,
        }),
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
        documented({
          id: 'completeForcedChange',
          summary: 'Set a new password after a temporary or one-time one',
          tag: 'Member',
          answer: [200, answers.issuedSession, 'Changed; a fresh session'],
          errors: ['challenge_invalid', 'password_rejected', 'temporary_password_expired'],
          input: true,
        }),
        validJson(z.object({ challenge: token, password })),
        async (c) => {
          return c.json(await completeForcedChange(deps, c.req.valid('json')));
        },
      )
      .post(
        '/password/change',
        documented({
          id: 'changePassword',
          summary: 'A logged-in member changes their password',
          tag: 'Member',
          answer: [200, answers.passwordChanged, 'Changed; a fresh session (other sessions end)'],
          errors: ['invalid_credentials', 'password_rejected', 'too_many_attempts'],
          input: true,
          security: 'session',
        }),
        validJson(z.object({ currentPassword: password, password })),
        async (c) => {
          const session = bearer(c);
          if (!session) throw new AppError('session_invalid');
          const result = await changeOwnPassword(deps, { ...c.req.valid('json'), session });
          return c.json({ ok: true, ...result });
        },
      )
      .post(
        '/logout',
        documented({
          id: 'logOut',
          summary: "End the member's session",
          tag: 'Member',
          answer: [204, null, 'Ended'],
          security: 'session',
        }),
        async (c) => {
          const session = bearer(c);
          if (!session) throw new AppError('session_invalid');
          await endSession(deps, session);
          return c.body(null, 204);
        },
      )
      .get(
        '/session',
        documented({
          id: 'getSession',
          summary: "The session's claims, if it is still valid",
          tag: 'Member',
          answer: [200, answers.sessionClaims, 'Valid'],
          security: 'session',
        }),
        async (c) => {
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
        },
      )
  );
}
