import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../server/config.js';
import { KvStore } from '../../server/store/kv-store.js';
import { createMemoryKv } from '../../server/store/memory-kv.js';
import {
  createTestApp,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import { faultyKv, type FaultyKv } from '../helpers/faulty-kv.js';

const OLD_PASSWORD = 'orchid-basalt-meridian-4';

describe('storage faults: nothing half done, recovery without restart', () => {
  let t: TestApp;
  let kv: FaultyKv;

  beforeEach(async () => {
    kv = faultyKv(createMemoryKv());
    t = await createTestApp({ overrides: { store: new KvStore(kv) } });
  });
  afterEach(async () => {
    kv.heal();
    await t.close();
  });

  const login = (password: string) => t.post('/api/login', { identifier: 'robin@example.com', password });

  it('a failed write during reset leaves the old password working and the link unused', async () => {
    await t.seedClient({ email: 'robin@example.com', password: OLD_PASSWORD });
    await t.post('/api/forgot', { identifier: 'robin@example.com' });
    const token = tokenFromMail((await t.mailsTo('robin@example.com'))[0]);

    kv.fail(['update'], 'account:');
    const failed = await t.post('/api/reset', { token, password: GOOD_PASSWORD });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: { code: 'storage_unavailable' } });
    expect(kv.failures).toBeGreaterThan(0);

    kv.heal();
    expect((await login(OLD_PASSWORD)).status).toBe(200);
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    expect((await login(GOOD_PASSWORD)).status).toBe(200);
    expect((await login(OLD_PASSWORD)).status).toBe(401);
  });

  it('a login is answered without waiting for its audit record, and the record is written once the store is back', async () => {
    // Retries far enough apart for the test to see the first failure and heal the store between them.
    await t.close();
    const slowRetries = (config: Config) => ({ ...config, retryDelaysMs: [200, 400, 800] });
    t = await createTestApp({ overrides: { store: new KvStore(kv) }, configure: slowRetries });
    const account = await t.seedClient({ email: 'robin@example.com', password: OLD_PASSWORD });
    kv.fail(['update'], 'member-audit:');
    expect(await (await login(OLD_PASSWORD)).json()).toMatchObject({ status: 'ok' });
    await vi.waitFor(() => expect(kv.failures).toBeGreaterThan(0), { interval: 5 });
    kv.heal();
    await t.drain();
    const trail = await t.deps.store.listAudit(account.id, 10);
    expect(trail).toEqual([expect.objectContaining({ action: 'login', outcome: 'ok', actor: 'member' })]);
  });

  it('storage down at login answers 503 with a code, and the same app works once it is back', async () => {
    await t.seedClient({ email: 'robin@example.com', password: OLD_PASSWORD });
    kv.fail(['get', 'getMany', 'update', 'set', 'setIfAbsent']);
    const down = await login(OLD_PASSWORD);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      error: { code: 'storage_unavailable', message: expect.any(String) },
    });
    kv.heal();
    expect(await (await login(OLD_PASSWORD)).json()).toMatchObject({ status: 'ok' });
  });

  it('a failed write after a staff password is mailed keeps the old password: no credential changes half way', async () => {
    const account = await t.seedClient({ email: 'robin@example.com', password: OLD_PASSWORD });
    kv.fail(['update'], 'account:');
    const res = await t.post(
      `/api/admin/clients/${account.id}/password`,
      { mode: 'custom', password: OTHER_GOOD_PASSWORD, delivery: 'none' },
      await t.asStaff(),
    );
    expect(res.status).toBe(503);
    kv.heal();
    expect((await login(OLD_PASSWORD)).status).toBe(200);
    expect((await login(OTHER_GOOD_PASSWORD)).status).toBe(401);
  });

  it('a failed budget write refuses the staff mail before anything is sent', async () => {
    const account = await t.seedClient({ email: 'robin@example.com', password: OLD_PASSWORD });
    kv.fail(['update'], 'window:');
    const res = await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, await t.asStaff());
    expect(res.status).toBe(503);
    kv.heal();
    expect(await t.mailsTo('robin@example.com')).toHaveLength(0);
    const summary = (await (await t.get(`/api/admin/clients/${account.id}`, await t.asStaff())).json()) as {
      resendsLeft: number;
    };
    expect(summary.resendsLeft).toBe(5);
  });
});
