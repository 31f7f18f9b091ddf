/** Small readers shared by the staff and provisioning API tests (not a test file itself). */
import { expect } from 'vitest';
import type { OutboxMessage } from '../../server/domain.js';
import type { TestApp } from '../helpers/app.js';

export interface Summary {
  id: string;
  name: string;
  email: string | null;
  username: string | null;
  status: 'invited' | 'active' | 'force_reset';
  loginEnabled: boolean;
  emailConfirmed: boolean;
  tenantCount: number;
  resendsLeft: number;
  resendsRetryAt?: string | null;
  credential?: { kind: string; setAt: string; expiresAt: string | null; issuedBy: string | null } | null;
  capabilities: Record<
    'customPassword' | 'randomPassword' | 'temporaryPassword' | 'resetLink' | 'invite',
    boolean
  >;
  reasons: Partial<Record<string, string>>;
  updatedAt?: string;
  password?: string;
  tenants?: string[];
}

export interface ErrorBody {
  error: { code: string; message: string; rules?: string[]; retryAt?: string; resendsLeft?: number };
}

export interface ClientEvent {
  at: string;
  actor: string;
  action: string;
  outcome: string;
  text: string;
  detail?: Record<string, unknown>;
  count?: number;
  lastAt?: string;
}

export async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Asserts an error answer of the contract's shape and returns its body. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const body = await json<ErrorBody>(res);
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

export interface LoginOutcome {
  /** `ok` / `password_change_required` on 200, else the error code. */
  result: string;
  status: number;
  session?: string;
  challenge?: string;
  reason?: string;
}

/** What a member sees when logging in: the status on success, the error code otherwise. */
export async function login(
  t: TestApp,
  identifier: string,
  password: string,
  tenant?: string,
): Promise<LoginOutcome> {
  const res = await t.post('/api/login', { identifier, password, ...(tenant ? { tenant } : {}) });
  const body = await json<{
    status?: string;
    session?: string;
    challenge?: string;
    reason?: string;
    error?: { code: string };
  }>(res);
  return {
    result:
      res.status === 200 ? (body.status ?? 'missing-status') : (body.error?.code ?? `http_${res.status}`),
    status: res.status,
    session: body.session,
    challenge: body.challenge,
    reason: body.reason,
  };
}

export async function getSummary(t: TestApp, id: string, headers: Record<string, string>): Promise<Summary> {
  const res = await t.get(`/api/admin/clients/${id}`, headers);
  expect(res.status).toBe(200);
  return json<Summary>(res);
}

export async function getEvents(
  t: TestApp,
  id: string,
  headers: Record<string, string>,
): Promise<ClientEvent[]> {
  const res = await t.get(`/api/admin/clients/${id}/events`, headers);
  expect(res.status).toBe(200);
  return (await json<{ items: ClientEvent[] }>(res)).items;
}

/** The password printed on the "Password:" line of a credentials mail. */
export function passwordInMail(message: Pick<OutboxMessage, 'text'> | { text?: string | undefined }): string {
  const match = /^\s*(?:Password|Mot de passe)\s*:\s*(\S+)\s*$/m.exec(message.text ?? '');
  if (!match) throw new Error(`no password line in mail: ${(message.text ?? '').slice(0, 300)}`);
  return match[1];
}

export const NEW_PASSWORD = 'cobalt-orchard-sparrow-74';
export const NEWER_PASSWORD = 'glacier-tinsel-meadow-52';
export const OLD_PASSWORD = 'amber-lattice-pylon-63';
