/** A client's activity: member-side traffic is merged and kept apart, so it never pushes staff or provisioning events out. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../server/domain.js';
import { createTestApp, GOOD_PASSWORD, PROVISION_KEY, TENANT, type TestApp } from '../helpers/app.js';
import { json, type ClientEvent } from './api-staff-helpers.js';

let t: TestApp;
afterEach(() => t.close());

/** Cheap hashing, so hundreds of logins take well under a second (the audit, not argon2, is under test). */
const weak = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const EMAIL = 'morgan@example.com';

/** A client whose activity holds a staff reset link, a staff rename and a provisioning update. */
async function clientWithStaffEvents(): Promise<{ id: string; staffEvents: AuditEvent[] }> {
  const { id } = await t.seedClient({
    id: 'crm-1',
    name: 'Morgan Reyes',
    email: EMAIL,
    password: GOOD_PASSWORD,
  });
  const staff = await t.asStaff({ tid: TENANT });
  expect((await t.post(`/api/admin/clients/${id}/reset-link`, undefined, staff)).status).toBe(202);
  t.clock.advance(1000);
  expect((await t.patch(`/api/admin/clients/${id}`, { name: 'Morgan Reyes-Lund' }, staff)).status).toBe(200);
  t.clock.advance(1000);
  const provisioned = await t.put(
    `/api/provision/clients/${id}`,
    { name: 'Morgan Reyes-Lund', email: EMAIL, tenants: [TENANT] },
    { Authorization: `Bearer ${PROVISION_KEY}` },
  );
  expect(provisioned.status).toBe(200);
  t.clock.advance(1000);
  const staffEvents = (await t.store.listAudit(id, 500)).filter((event) => event.actor !== 'member');
  expect(staffEvents.map((event) => event.action)).toEqual([
    'client.provision',
    'client.update',
    'reset_link.send',
  ]);
  return { id, staffEvents };
}

/** Events of this company's staff and its system: neither the member's nor another company's lookups. */
const ownStaffEvent = (event: { actor: string; action: string }) =>
  event.actor !== 'member' && event.action !== 'client.match';

/** Every staff and provisioning event is still in the store and in what staff see, in the same order. */
async function expectStaffEventsKept(id: string, staffEvents: AuditEvent[]): Promise<ClientEvent[]> {
  const stored = await t.store.listAudit(id, 1000);
  expect(stored.filter(ownStaffEvent)).toEqual(staffEvents);
  const res = await t.get(`/api/admin/clients/${id}/events?limit=500`, await t.asStaff({ tid: TENANT }));
  expect(res.status).toBe(200);
  const listed = (await json<{ items: ClientEvent[] }>(res)).items;
  expect(
    listed.filter(ownStaffEvent).map(({ at, actor, action, outcome }) => ({ at, actor, action, outcome })),
  ).toEqual(
    staffEvents.map((event) => ({
      at: new Date(event.at).toISOString(),
      actor: event.actor,
      action: event.action,
      outcome: event.outcome,
    })),
  );
  // Newest first, by each event's latest occurrence.
  const times = listed.map((event) => Date.parse(event.lastAt ?? event.at));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  return listed;
}

describe('member-side traffic never evicts staff events', () => {
  /** @see issue 9, item 4 */
  it('520 forgot requests from one address: every staff event stays listed, the dropped ones are one record', async () => {
    t = await createTestApp();
    const { id, staffEvents } = await clientWithStaffEvents();
    const first = t.clock.now();
    for (let i = 0; i < 520; i++) {
      const res = await t.post('/api/forgot', { identifier: EMAIL }, undefined, '203.0.113.9');
      expect(res.status).toBe(202);
      // The request is handled after the answer: let it run before the clock moves on.
      await t.drain();
      t.clock.advance(5000);
    }
    await t.drain();

    const listed = await expectStaffEventsKept(id, staffEvents);
    const requests = (await t.store.listAudit(id, 1000)).filter(
      (event) => event.action === 'reset_link.request',
    );
    const dropped = requests.filter((event) => event.outcome === 'refused');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ actor: 'member', detail: { reason: 'rate_limited' } });
    expect(dropped[0].count).toBeGreaterThanOrEqual(490);
    expect(dropped[0].lastAt).toBe(first + 519 * 5000);
    // Every request is accounted for: the few that mailed a link, and the count of the dropped ones.
    const mailed = requests.filter((event) => event.outcome === 'ok');
    expect(mailed.length).toBeLessThanOrEqual(5);
    expect(mailed.length + dropped[0].count!).toBe(520);
    expect(listed.filter((event) => event.actor === 'member')).toHaveLength(requests.length);
    // What staff see of it: one line that says how many, and when the last one came.
    const shown = listed.find(
      (event) => event.outcome === 'refused' && event.action === 'reset_link.request',
    );
    expect(shown).toMatchObject({
      at: new Date(dropped[0].at).toISOString(),
      count: dropped[0].count,
      lastAt: new Date(first + 519 * 5000).toISOString(),
      text: `Reset link requested (refused) × ${dropped[0].count}`,
    });
  });

  /** @see issue 9, item 4 */
  it('hundreds of wrong logins from many addresses neither evict staff events nor make hundreds of records', async () => {
    t = await createTestApp({
      overrides: { hashing: weak },
      // The account-wide bound would start delays after 100; here every guess is checked.
      configure: (config) => ({ ...config, limits: { ...config.limits, loginAccountFreeFailures: 10_000 } }),
    });
    const { id, staffEvents } = await clientWithStaffEvents();
    const addresses = 104;
    const statuses: number[] = [];
    // Five guesses per address (the free ones), a batch of different addresses at a time.
    for (let round = 0; round < 520 / (addresses / 2); round++) {
      const batch = Array.from({ length: addresses / 2 }, (_, i) => {
        const address = ((round * addresses) / 2 + i) % addresses;
        return t.post(
          '/api/login',
          { identifier: EMAIL, password: `wrong-guess-${round}-${i}-xyz` },
          undefined,
          `198.51.100.${address + 1}`,
        );
      });
      statuses.push(...(await Promise.all(batch)).map((res) => res.status));
    }
    expect(statuses).toEqual(Array<number>(520).fill(401));
    await t.drain();

    await expectStaffEventsKept(id, staffEvents);
    const failures = (await t.store.listAudit(id, 1000)).filter(
      (event) => event.action === 'login' && event.outcome === 'refused',
    );
    expect(failures.length).toBeLessThanOrEqual(2);
    expect(failures.reduce((sum, event) => sum + (event.count ?? 1), 0)).toBe(520);
  });

  /** @see issue 9, item 4 */
  it('member events that cannot merge (520 logins) are bounded on their own list; staff events stay', async () => {
    t = await createTestApp({ overrides: { hashing: weak } });
    const { id, staffEvents } = await clientWithStaffEvents();
    for (let round = 0; round < 10; round++) {
      const batch = Array.from({ length: 52 }, (_, i) =>
        t.post(
          '/api/login',
          { identifier: EMAIL, password: GOOD_PASSWORD },
          undefined,
          `10.1.${round}.${i + 1}`,
        ),
      );
      for (const res of await Promise.all(batch)) expect(res.status).toBe(200);
      t.clock.advance(1000);
    }
    await t.drain();

    await expectStaffEventsKept(id, staffEvents);
    const member = (await t.store.listAudit(id, 1000)).filter((event) => event.actor === 'member');
    expect(member).toHaveLength(200);
    expect(member.every((event) => event.action === 'login' && event.outcome === 'ok')).toBe(true);
    // The newest are the ones kept.
    expect(Math.min(...member.map((event) => event.at))).toBeGreaterThan(staffEvents[0].at + 5000);
  });
});

describe("another company's staff never evict this company's events", () => {
  /** @see issue 9, item 4: each "already in use" answer about a client once went on its staff trail. */
  it('26 hours of answers about the client to another company are a few merged lines beside its own events', async () => {
    t = await createTestApp();
    const { id, staffEvents } = await clientWithStaffEvents();
    for (let hour = 0; hour < 26; hour++) {
      const elsewhere = await t.asStaff({ tid: 'other-company', sub: 'desk-x' });
      for (let i = 0; i < 20; i++) {
        const res = await t.post('/api/admin/clients', { name: 'Morgan Reyes', email: EMAIL }, elsewhere);
        expect(res.status).toBe(409);
      }
      t.clock.advance(60 * 60 * 1000);
    }
    await expectStaffEventsKept(id, staffEvents);
    const matches = (await t.store.listAudit(id, 1000)).filter((event) => event.action === 'client.match');
    expect(matches.length).toBeLessThanOrEqual(26);
    expect(matches.reduce((sum, event) => sum + (event.count ?? 1), 0)).toBe(520);
  });
});
