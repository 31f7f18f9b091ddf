/** Provisioning endpoints (server to server, PROVISION_API_KEY): the integrator's backend owns who belongs where. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { provisionDocs } from './provision.docs.js';
import { requireProvisionKey } from '../http/auth.js';
import { invalidInput, ndjsonOnly, validJson } from '../http/guards.js';
import { localeOf } from '../http/locale.js';
import { localisedMessage } from '../http/errors.js';
import { ndjsonResponse, readLines, type NdjsonLine } from '../http/ndjson.js';
import { AppError } from '../errors.js';
import { LOCALES, type Locale } from '../domain.js';
import { IMPORTED_HASH_FORMATS, importedHashFormat } from '../crypto/imported-hashes.js';
import { eraseMember, exportMember } from '../flows/member-data.js';
import { putClient, putTenant, tenantView } from '../flows/provisioning.js';
import { webhookRoutes } from './webhooks.js';
import { provisionEach, type ImportEntry, type ImportResult } from '../flows/bulk-provisioning.js';

const id = z.string().min(1).max(200);
const base64 = z
  .string()
  .min(1)
  .max(500)
  .regex(/^[A-Za-z0-9+/\-_]+=*$/);
const colour = z.string().regex(/^#[0-9a-fA-F]{3,8}$/);
/** A URL; whether it is safe to mail (https, or loopback in development) is the flow's rule. */
const linkUrl = z
  .url()
  .max(2000)
  .refine((value) => !/[#]/.test(value), 'no fragment: the token goes there');

const tenantBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    brand: z
      .object({
        primaryColor: colour.optional(),
        accentColor: colour.optional(),
        logoUrl: z.url().max(2000).optional(),
      })
      .strict()
      .optional(),
    resetUrl: linkUrl.optional(),
    locale: z.enum(LOCALES).optional(),
    staffPasswords: z.enum(['one-time', 'permanent', 'forbidden']).optional(),
    minPasswordLength: z.number().int().min(8).max(64).optional(),
    firebaseScrypt: z
      .object({
        signerKey: base64,
        saltSeparator: z
          .string()
          .max(100)
          .regex(/^[A-Za-z0-9+/]*=*$/),
        rounds: z.number().int().min(1).max(32),
        memCost: z.number().int().min(1).max(20),
      })
      .strict()
      .optional(),
  })
  .strict();

const clientBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().max(320).pipe(z.email()).nullish(),
    username: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[^\s@]+$/u)
      .nullish(),
    tenants: z.array(id).min(1).max(50),
    loginEnabled: z.boolean().optional(),
    emailConfirmed: z.boolean().optional(),
    // The message names the formats, never the value (a hash is a secret).
    passwordHash: z
      .union([
        z
          .string()
          .max(1000)
          .refine((hash) => importedHashFormat(hash) !== null, {
            message: `not a password hash this server can verify: ${IMPORTED_HASH_FORMATS}`,
          }),
        z.object({ algorithm: z.literal('firebase-scrypt'), hash: base64, salt: base64 }).strict(),
      ])
      .optional(),
  })
  .strict();

/** One line of a bulk import: the client's id and what `PUT /clients/:id` takes. */
const importLine = clientBody.extend({ id });

/** Parses one line of a bulk import on its own; its mistakes stay its own. */
function importEntry(entry: NdjsonLine): ImportEntry {
  const line = entry.number;
  if ('tooLong' in entry) return { line, id: null, error: new AppError('payload_too_large') };
  if ('notUtf8' in entry) {
    return {
      line,
      id: null,
      error: new AppError('invalid_request', { message: 'The line is not valid UTF-8.' }),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(entry.text);
  } catch {
    return {
      line,
      id: null,
      error: new AppError('invalid_request', { message: 'The line is not valid JSON.' }),
    };
  }
  const given = (value as { id?: unknown } | null)?.id;
  const parsed = importLine.safeParse(value);
  if (!parsed.success) {
    return { line, id: typeof given === 'string' ? given : null, error: invalidInput(parsed.error.issues) };
  }
  const { id: clientId, ...input } = parsed.data;
  return { line, id: clientId, input };
}

async function* parsedLines(lines: AsyncIterable<NdjsonLine>): AsyncGenerator<ImportEntry> {
  for await (const line of lines) yield importEntry(line);
}

/** A result as it goes on the wire: the error as every other answer gives it, in the caller's language. */
function resultLine(result: ImportResult, locale: Locale) {
  if (result.status !== 'failed') return result;
  const { error } = result.error.toBody();
  return { ...result, error: { ...error, message: localisedMessage(result.error, locale) } };
}

async function* resultLines(results: AsyncIterable<ImportResult>, locale: Locale) {
  for await (const result of results) yield resultLine(result, locale);
}

export function provisionRoutes(deps: Deps) {
  return new Hono()
    .use('*', requireProvisionKey(deps.config.provisionApiKey))
    .put('/tenants/:tid', provisionDocs.putTenant, validJson(tenantBody), async (c) => {
      const { created, tenant } = await putTenant(deps, c.req.param('tid'), c.req.valid('json'));
      return c.json(tenantView(tenant), created ? 201 : 200);
    })
    .put('/clients/:id', provisionDocs.putClient, validJson(clientBody), async (c) => {
      const { created, summary, passwordHash } = await putClient(
        deps,
        c.req.param('id'),
        c.req.valid('json'),
        localeOf(c),
      );
      return c.json(
        { ...summary, tenants: c.req.valid('json').tenants, ...(passwordHash ? { passwordHash } : {}) },
        created ? 201 : 200,
      );
    })
    .post('/import', provisionDocs.importClients, ndjsonOnly, (c) => {
      const lines = readLines(c.req.raw.body ?? new Blob([]).stream(), deps.config.bodyLimitBytes);
      return ndjsonResponse(resultLines(provisionEach(deps, parsedLines(lines)), localeOf(c)), {
        'Cache-Control': 'no-store',
      });
    })
    .delete('/clients/:id', provisionDocs.eraseClient, async (c) => {
      await eraseMember(deps, c.req.param('id'));
      return c.body(null, 204);
    })
    .get('/clients/:id/export', provisionDocs.exportClient, async (c) =>
      c.json(await exportMember(deps, c.req.param('id'))),
    )
    .route('/webhooks', webhookRoutes(deps));
}
