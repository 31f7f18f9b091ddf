/**
 * Bulk provisioning, `POST /api/provision/import`: NDJSON in, one result per line out, streamed;
 * a bad line is reported on its own and loses nothing else; the same file twice changes nothing.
 */
import bcryptjs from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { readLines } from '../../server/http/ndjson.js';
import { createApp } from '../../server/index.js';
import { createTestApp, PROVISION_KEY, TENANT, type TestApp } from '../helpers/app.js';
import { FIRST_NAMES, LAST_NAMES } from '../helpers/people.js';
import { expectError, login } from './api-staff-helpers.js';

let t: TestApp;
afterEach(() => t.close());

const NDJSON = { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/x-ndjson' };

interface Result {
  line: number;
  id: string | null;
  status: 'created' | 'updated' | 'failed';
  passwordHash?: string;
  error?: { code: string; message: string; fields?: string[] };
}

async function importLines(lines: string[]): Promise<Result[]> {
  const res = await t.request('POST', '/api/provision/import', {
    headers: NDJSON,
    rawBody: lines.join('\n'),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/x-ndjson');
  const text = await res.text();
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Result);
}

const member = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `crm-${i}`,
    name: `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[i % LAST_NAMES.length]} ${i}`,
    email: `member${i}@example.com`,
    tenants: [TENANT],
    ...extra,
  });

describe('POST /api/provision/import', () => {
  it('10k lines with malformed ones mixed in: each bad line is reported by number, every good one is in', async () => {
    t = await createTestApp();
    const bcryptHash = await bcryptjs.hash('the old gym password', 4);
    const lines: string[] = [];
    const bad = new Map<number, string>();
    for (let i = 1; i <= 10_000; i++) {
      if (i % 997 === 0) {
        lines.push('{"id": "crm-broken", "name": '); // cut short
        bad.set(i, 'invalid_request');
      } else if (i % 499 === 0) {
        lines.push(member(i, { email: 'not an address' }));
        bad.set(i, 'invalid_email');
      } else if (i % 331 === 0) {
        lines.push(member(i, { passwordHash: '$1$md5crypt$notsupported' }));
        bad.set(i, 'invalid_request');
      } else if (i === 5000) {
        lines.push(member(i, { email: 'member1@example.com' })); // line 1's address
        bad.set(i, 'email_in_use');
      } else if (i === 6000) {
        lines.push(JSON.stringify({ id: 'x'.repeat(10), name: 'y'.repeat(40_000), tenants: [TENANT] }));
        bad.set(i, 'payload_too_large');
      } else {
        lines.push(member(i, i === 7 ? { passwordHash: bcryptHash } : {}));
      }
    }
    const results = await importLines(lines);

    expect(results.map((r) => r.line)).toEqual(lines.map((_, index) => index + 1));
    const failed = results.filter((r) => r.status === 'failed');
    expect(new Map(failed.map((r) => [r.line, r.error?.code]))).toEqual(bad);
    const invalidEmail = failed.find((r) => r.line === 499)!;
    expect(invalidEmail).toMatchObject({ id: 'crm-499', error: { code: 'invalid_email' } });
    expect(failed.find((r) => r.line === 331)!.error?.message).toContain('not a password hash');
    expect(JSON.stringify(failed)).not.toContain('md5crypt');
    expect(results.filter((r) => r.status === 'created')).toHaveLength(10_000 - bad.size);
    expect(results.find((r) => r.line === 7)).toMatchObject({ status: 'created', passwordHash: 'set' });

    expect(await t.deps.store.countClients(TENANT)).toBe(10_000 - bad.size);
    expect((await t.deps.store.getAccount('crm-9999'))?.email).toBe('member9999@example.com');
    expect(await t.deps.store.getAccount('crm-499')).toBeNull();
    expect((await login(t, 'member7@example.com', 'the old gym password')).result).toBe('ok');

    // The same file again: nothing new, nothing lost, the same lines refused.
    const again = await importLines(lines);
    expect(again.filter((r) => r.status === 'updated')).toHaveLength(10_000 - bad.size);
    expect(again.find((r) => r.line === 7)).toMatchObject({ passwordHash: 'unchanged' });
    expect(new Map(again.filter((r) => r.status === 'failed').map((r) => [r.line, r.error?.code]))).toEqual(
      bad,
    );
    expect(await t.deps.store.countClients(TENANT)).toBe(10_000 - bad.size);
  }, 120_000);

  it('two lines for one client apply in file order; blank lines and CRLF are fine', async () => {
    t = await createTestApp();
    const results = await importLines([
      member(1, { name: 'First Name' }),
      '',
      `${member(1, { name: 'Second Name' })}\r`,
      member(2),
    ]);
    expect(results).toEqual([
      { line: 1, id: 'crm-1', status: 'created' },
      { line: 3, id: 'crm-1', status: 'updated' },
      { line: 4, id: 'crm-2', status: 'created' },
    ]);
    expect((await t.deps.store.getAccount('crm-1'))?.name).toBe('Second Name');
  });

  it('a line that is not UTF-8 fails on its own; the others keep their accents', async () => {
    t = await createTestApp();
    const encoder = new TextEncoder();
    const good = encoder.encode(`${member(1, { name: 'Élise Müller' })}\n`);
    const latin1 = Buffer.from(`${member(2, { name: 'Zoé' })}\n`, 'latin1');
    const res = await t.app.request('/api/provision/import', {
      method: 'POST',
      headers: NDJSON,
      body: new Blob([good, latin1, encoder.encode(member(3))]),
    });
    const results = (await res.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Result);
    expect(results.map((r) => [r.line, r.status, r.error?.code ?? null])).toEqual([
      [1, 'created', null],
      [2, 'failed', 'invalid_request'],
      [3, 'created', null],
    ]);
    expect((await t.deps.store.getAccount('crm-1'))?.name).toBe('Élise Müller');
  });

  it('reads a character split between two chunks, CRLF endings and a last line without one', async () => {
    const bytes = new TextEncoder().encode('{"n":"é"}\r\n\n{"n":"ü"}');
    const cut = bytes.indexOf(0xa9); // inside "é"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, cut));
        controller.enqueue(bytes.subarray(cut));
        controller.close();
      },
    });
    const lines = [];
    for await (const line of readLines(body, 1000)) lines.push(line);
    expect(lines).toEqual([
      { number: 1, text: '{"n":"é"}' },
      { number: 3, text: '{"n":"ü"}' },
    ]);
  });

  it('answers each line as it is done, before the body has ended', async () => {
    t = await createTestApp();
    const app = createApp(t.deps);
    let feed!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void (feed = controller) });
    const encoder = new TextEncoder();
    const res = await app.request('/api/provision/import', {
      method: 'POST',
      headers: NDJSON,
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = '';
    for (let i = 1; i <= 9; i++) feed.enqueue(encoder.encode(`${member(i)}\n`));
    while (!seen.includes('"line":1,')) seen += (await reader.read()).value ?? '';
    expect(JSON.parse(seen.split('\n')[0])).toEqual({ line: 1, id: 'crm-1', status: 'created' });
    feed.enqueue(encoder.encode(`${member(10)}\n`));
    feed.close();
    for (let read = await reader.read(); !read.done; read = await reader.read()) seen += read.value;
    expect(seen.trim().split('\n')).toHaveLength(10);
  });

  it('takes NDJSON with the provisioning key only', async () => {
    t = await createTestApp();
    const body = member(1);
    await expectError(
      await t.request('POST', '/api/provision/import', {
        headers: { ...NDJSON, Authorization: 'Bearer wrong' },
        rawBody: body,
      }),
      401,
      'unauthorized',
    );
    await expectError(
      await t.request('POST', '/api/provision/import', {
        headers: { ...NDJSON, 'Content-Type': 'text/plain' },
        rawBody: body,
      }),
      415,
      'unsupported_media_type',
    );
    // Elsewhere the API still takes JSON only, within its size limit.
    await expectError(
      await t.request('PUT', '/api/provision/clients/crm-1', { headers: NDJSON, rawBody: body }),
      415,
      'unsupported_media_type',
    );
    expect(await t.deps.store.getAccount('crm-1')).toBeNull();
    const empty = await t.request('POST', '/api/provision/import', { headers: NDJSON, rawBody: '' });
    expect([empty.status, await empty.text()]).toEqual([200, '']);
  });
});
