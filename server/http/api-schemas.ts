/**
 * The shapes of the API's answers, for the OpenAPI document (`/api/openapi.json`) and through it
 * the elements' request types (`widget/internal/api-types.ts`, generated from that document).
 * The flows keep their own TypeScript types; each schema below is checked against its flow's
 * type at compile time, so the document cannot drift from what the server sends.
 */
import { z } from 'zod';
import type { ClientSummary } from '../flows/client-summary.js';
import type { ClientEvent } from '../flows/client-activity.js';
import type { LinkInspection } from '../flows/self-service.js';
import type { LoginResult } from '../flows/login.js';
import type { PasswordOutcome } from '../flows/staff-credentials.js';
import type { PolicyDescription } from '../policy/password-policy.js';

/** True when the two types accept the same values; a `false` constant fails the type check. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const isoTime = z.string().describe('An ISO 8601 time');

export const ok = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' });

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('A stable error code (see the list in the description of each response)'),
      message: z.string().describe("A sentence for people, in the request's language"),
      fields: z.array(z.string()).optional().describe('For invalid_request: the fields that were refused'),
      rules: z.array(z.string()).optional().describe('For password_rejected: the rules the password broke'),
    }),
  })
  .meta({ id: 'Error' });

const passwordRule = z.enum(['min_length', 'max_length', 'not_common', 'no_personal_info', 'not_recent']);

const policySettings = z.object({
  minLength: z.number().int(),
  maxLength: z.number().int(),
  historySize: z.number().int().describe('How many recent passwords may not be reused'),
});

export const passwordPolicy = policySettings
  .extend({ rules: z.array(z.object({ id: passwordRule, value: z.number().int().optional() })) })
  .meta({ id: 'PasswordPolicy' });

export const linkInspection = z
  .object({
    purpose: z.enum(['reset', 'invite', 'verify-email']),
    email: z.string().nullable(),
    name: z.string(),
    expiresAt: isoTime.nullable(),
    login: z.string().nullable().describe('The username, or the masked email, for password managers'),
    tenant: z.object({ id: z.string(), name: z.string(), locale: z.string() }).nullable(),
  })
  .meta({ id: 'LinkInspection' });

export const issuedSession = z
  .object({ session: z.string().describe('A member session (a signed JWT)'), expiresAt: isoTime })
  .meta({ id: 'Session' });

export const loginAnswer = z
  .union([
    z.object({ status: z.literal('ok'), session: z.string(), expiresAt: isoTime, device: z.string() }),
    z.object({
      status: z.literal('password_change_required'),
      challenge: z.string().describe('For POST /password/force-change'),
      reason: z.enum(['temporary_password', 'one_time_password']),
      expiresAt: isoTime,
      device: z.string(),
    }),
  ])
  .meta({ id: 'LoginAnswer' });

export const sessionClaims = z
  .object({
    sub: z.string(),
    tid: z.string().optional(),
    iss: z.string(),
    aud: z.union([z.string(), z.array(z.string())]),
    iat: z.number(),
    exp: z.number(),
    jti: z.string(),
  })
  .meta({ id: 'SessionClaims' });

const CAPABILITIES = [
  'customPassword',
  'randomPassword',
  'temporaryPassword',
  'resetLink',
  'invite',
  'changeEmail',
  'changeLoginSettings',
] as const;
type CapabilityName = (typeof CAPABILITIES)[number];
// Objects with every capability named (not records), so the document and the types list them.
const capabilities = z.object(
  Object.fromEntries(CAPABILITIES.map((name) => [name, z.boolean()])) as Record<CapabilityName, z.ZodBoolean>,
);
const reasons = z.object(
  Object.fromEntries(CAPABILITIES.map((name) => [name, z.string().optional()])) as Record<
    CapabilityName,
    z.ZodOptional<z.ZodString>
  >,
);

export const clientSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    username: z.string().nullable(),
    status: z.enum(['invited', 'active', 'force_reset']),
    loginEnabled: z.boolean(),
    emailConfirmed: z.boolean(),
    tenantCount: z.number().int(),
    resendsLeft: z.number().int(),
    resendsLimit: z.number().int(),
    resendsRetryAt: isoTime.nullable(),
    passwordPolicy: policySettings,
    credential: z
      .object({
        kind: z.enum(['member', 'one-time', 'temporary', 'permanent-staff']),
        setAt: isoTime,
        expiresAt: isoTime.nullable(),
        issuedBy: z.string().nullable(),
      })
      .nullable(),
    capabilities: capabilities.describe('What staff may do for this client'),
    reasons: reasons.describe('Why a capability is off, in words'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'ClientSummary' });

export const clientPage = z
  .object({ items: z.array(clientSummary), next: z.string().nullable().describe('Cursor of the next page') })
  .meta({ id: 'ClientPage' });

export const createdClient = clientSummary
  .extend({ password: z.string().optional().describe('A random password, shown this once') })
  .meta({ id: 'CreatedClient' });

export const clientEvent = z
  .object({
    at: isoTime,
    count: z.number().int().optional(),
    lastAt: isoTime.optional(),
    actor: z.string(),
    action: z.string(),
    outcome: z.enum(['ok', 'refused', 'failed']),
    text: z.string().describe("What happened, in the request's language"),
  })
  .meta({ id: 'ClientEvent' });

export const clientEvents = z.object({ items: z.array(clientEvent) }).meta({ id: 'ClientEvents' });

export const passwordOutcome = z
  .union([
    z.object({ ok: z.literal(true), delivered: z.literal('email') }),
    z.object({ ok: z.literal(true), password: z.string().describe('Shown this once') }),
    z.object({ ok: z.literal(true), delivered: z.literal('none') }),
  ])
  .meta({ id: 'PasswordOutcome' });

export const linkSent = z
  .object({ ok: z.literal(true), resendsLeft: z.number().int() })
  .meta({ id: 'LinkSent' });

export const passwordChanged = z
  .object({ ok: z.literal(true), session: z.string(), expiresAt: isoTime })
  .meta({ id: 'PasswordChanged' });

/** Any JSON object: answers of the provisioning API described in words (see README). */
export const described = (id: string, description: string) =>
  z.object({}).catchall(z.unknown()).meta({ id, description });

// Compile-time checks: each schema accepts exactly what its flow returns.
export const schemasMatchFlows: Array<true> = [
  true satisfies Same<z.infer<typeof clientSummary>, ClientSummary>,
  true satisfies Same<z.infer<typeof clientEvent>, ClientEvent>,
  true satisfies Same<z.infer<typeof linkInspection>, LinkInspection>,
  true satisfies Same<z.infer<typeof loginAnswer>, LoginResult>,
  true satisfies Same<z.infer<typeof passwordOutcome>, PasswordOutcome>,
  true satisfies Same<z.infer<typeof passwordPolicy>, PolicyDescription>,
];
