/** Shared pieces of the member API tests (api-member*.test.ts): reading answers, getting links from mail, logging in. */
import { expect } from 'vitest';
import type { MailKind, OutboxMessage } from '../../server/domain.js';
import { codeFromMail, tokenFromMail, type TestApp } from '../helpers/app.js';

export interface ErrorBody {
  error: { code: string; message: string; rules?: string[]; retryAfter?: number; [field: string]: unknown };
}

/** The JSON of an answer, typed loosely for assertions. */
export async function bodyOf<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Asserts the status and the `{error:{code,message}}` shape; returns the error body. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  const body = JSON.parse(text) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

/** Mails of one kind to an address, newest first (waits for mail sent after the response). */
export async function mailsOfKind(t: TestApp, to: string, kind: MailKind): Promise<OutboxMessage[]> {
  return (await t.mailsTo(to)).filter((message) => message.kind === kind);
}

/**
 * The one mail of `kind` to `to` that `action` caused. (Outbox order within one millisecond is
 * not defined, and the test clock stands still, so "newest" is found by difference.)
 */
export async function newMail(
  t: TestApp,
  to: string,
  kind: MailKind,
  action: () => Promise<unknown>,
): Promise<OutboxMessage> {
  const before = new Set((await mailsOfKind(t, to, kind)).map((message) => message.id));
  await action();
  const fresh = (await mailsOfKind(t, to, kind)).filter((message) => !before.has(message.id));
  expect(fresh, `new ${kind} mails to ${to}`).toHaveLength(1);
  return fresh[0];
}

/** The only mail of `kind` to `to` so far. */
export async function onlyMail(t: TestApp, to: string, kind: MailKind): Promise<OutboxMessage> {
  const mails = await mailsOfKind(t, to, kind);
  expect(mails, `${kind} mails to ${to}`).toHaveLength(1);
  return mails[0];
}

/** POST /api/forgot, then the token and short code of the reset mail it sent. */
export async function forgot(
  t: TestApp,
  email: string,
  ip?: string,
): Promise<{ token: string; code: string; mail: OutboxMessage }> {
  const mail = await newMail(t, email, 'reset', async () => {
    const res = await t.post('/api/forgot', { identifier: email }, undefined, ip);
    expect(res.status).toBe(202);
  });
  return { token: tokenFromMail(mail), code: codeFromMail(mail), mail };
}

export async function login(
  t: TestApp,
  identifier: string,
  password: string,
  extra: Record<string, unknown> = {},
) {
  return t.post('/api/login', { identifier, password, ...extra });
}

/** Logs in and returns the session; fails the test unless the answer is `status: ok`. */
export async function sessionFor(t: TestApp, identifier: string, password: string): Promise<string> {
  const res = await login(t, identifier, password);
  const body = await bodyOf<{ status: string; session: string }>(res);
  expect({ status: res.status, body: body.status }).toEqual({ status: 200, body: 'ok' });
  return body.session;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Staff sets a password on the client's behalf (POST /api/admin/clients/:id/password). */
export async function staffSetPassword(
  t: TestApp,
  clientId: string,
  request: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const res = await t.post(`/api/admin/clients/${clientId}/password`, request, await t.asStaff());
  const body = await bodyOf(res);
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Staff issues a temporary password (seed 003), shown once; returns it. */
export async function staffTemporaryPassword(t: TestApp, clientId: string): Promise<string> {
  const body = await staffSetPassword(t, clientId, { mode: 'random', delivery: 'display', temporary: true });
  expect(typeof body.password).toBe('string');
  return body.password as string;
}

/** Changes one character in the middle of the signature part of a JWT. */
export function tamperSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const at = Math.floor(signature.length / 2);
  const swapped = signature[at] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, at)}${swapped}${signature.slice(at + 1)}`;
}

/** Response headers as sorted pairs, without `Date`. */
export function headerPairs(res: Response): Array<[string, string]> {
  return [...res.headers.entries()]
    .filter(([name]) => name.toLowerCase() !== 'date')
    .sort(([a], [b]) => a.localeCompare(b));
}
