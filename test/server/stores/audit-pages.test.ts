/**
 * The audit trail kept in pages (`server/store/kv-audit.ts`): what an append writes stays small
 * however long the trail, a trail written before pages still reads, and a crash between writing
 * a page and moving the head on neither loses an event nor lists one twice.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AtomicKv, UpdateStep } from '../../../server/store/atomic-kv.js';
import { makeAuditEvent, T0 } from '../../../server/store/conformance/records.js';
import { AUDIT_PAGE, KvAuditTrails } from '../../../server/store/kv-audit.js';
import { keys } from '../../../server/store/kv-keys.js';
import { createFsKv } from '../../../server/store/fs-kv.js';
import { createMemoryKv } from '../../../server/store/memory-kv.js';
import type { AuditEvent } from '../../../server/domain.js';

/**
 * A key-value store (memory unless given) that records the size of every value written, can fail
 * the head's update that follows a page write (a crash between the two), and can run something
 * just before a page is written.
 */
function watchedKv(kv: AtomicKv = createMemoryKv()) {
  const written: number[] = [];
  let crashArmed = false;
  let beforePage: (() => Promise<void>) | null = null;
  let lastWasPage = false;
  const watched = Object.create(kv) as AtomicKv;
  watched.set = async <T>(key: string, value: T) => {
    written.push(JSON.stringify(value).length);
    lastWasPage = false;
    return kv.set(key, value);
  };
  watched.update = async <T, R>(key: string, fn: (current: T | null) => UpdateStep<T, R>) => {
    const isPage = key.startsWith('audit-page:');
    if (crashArmed && lastWasPage && !isPage) {
      crashArmed = false;
      throw new Error('the process died here');
    }
    if (isPage && beforePage) {
      const run = beforePage;
      beforePage = null;
      await run();
    }
    lastWasPage = isPage;
    return kv.update<T, R>(key, (current) => {
      const step = fn(current);
      if (step.value) written.push(JSON.stringify(step.value).length);
      return step;
    });
  };
  return {
    kv: watched,
    written,
    crashAfterNextPage: () => (crashArmed = true),
    beforeNextPage: (run: () => Promise<void>) => (beforePage = run),
  };
}

const memberEvents = (count: number, from = 0): AuditEvent[] =>
  Array.from({ length: count }, (_, i) =>
    makeAuditEvent({ clientId: 'c-1', at: T0 + from + i, action: 'login' }),
  );

async function appendAll(trails: KvAuditTrails, events: AuditEvent[]): Promise<void> {
  for (const event of events) await trails.append(event, {});
}

describe('audit trail pages', () => {
  it('an append writes a small record however long the trail is', async () => {
    const { kv, written } = watchedKv();
    const trails = new KvAuditTrails(kv);
    await appendAll(trails, memberEvents(500));
    written.length = 0;
    await appendAll(trails, memberEvents(100, 500));
    // A whole trail of 200 events was about 27 kB, rewritten on every append.
    const eventSize = JSON.stringify(memberEvents(1)[0]).length;
    expect(Math.max(...written)).toBeLessThanOrEqual(2 * AUDIT_PAGE * (eventSize + 1) + 100);
    expect(await trails.list('c-1', 1000)).toHaveLength(200);
  });

  it('a trail written before pages lists as it was, and is paged at its next event, even one counted on another', async () => {
    const { kv } = watchedKv();
    const trails = new KvAuditTrails(kv);
    const old = memberEvents(200).reverse();
    await kv.set(keys.audit('c-1', 'member'), { events: old });
    expect(await trails.list('c-1', 1000)).toEqual(old);
    // Like the newest event, within its window: counted on it.
    const repeat = makeAuditEvent({ clientId: 'c-1', at: old[0].at + 1, action: 'login' });
    await trails.append(repeat, { mergeWithinMs: 60_000 });
    const listed = await trails.list('c-1', 1000);
    expect(listed).toHaveLength(200);
    expect(listed[0]).toMatchObject({ id: old[0].id, count: 2, lastAt: repeat.at });
    expect(listed.slice(1)).toEqual(old.slice(1));
    expect((await kv.get<{ events: unknown[] }>(keys.audit('c-1', 'member')))?.events).toHaveLength(
      AUDIT_PAGE,
    );
    expect(await kv.keys('audit-page')).toHaveLength(1);
  });

  it('a crash after a page is written loses nothing, lists nothing twice, and the retry completes it', async () => {
    const { kv, crashAfterNextPage } = watchedKv();
    const trails = new KvAuditTrails(kv);
    // The ring (9 pages on the member trail) has gone round once: page 9 takes page 0's slot.
    const events = memberEvents(221);
    await appendAll(trails, events.slice(0, 220));
    crashAfterNextPage();
    await expect(trails.append(events[220], {})).rejects.toThrow('the process died here');
    expect(await kv.get(keys.auditPage('c-1', 'member', 0))).toMatchObject({ page: 9 });
    expect(await kv.get(keys.audit('c-1', 'member'))).toMatchObject({ sealed: 9 });
    expect(await trails.list('c-1', 1000)).toEqual(events.slice(20, 220).reverse());
    await trails.append(events[220], {});
    expect(await trails.list('c-1', 1000)).toEqual(events.slice(21).reverse());
  });

  it('an event appended again after it was paged is listed once', async () => {
    const { kv } = watchedKv();
    const trails = new KvAuditTrails(kv);
    const events = memberEvents(3 * AUDIT_PAGE);
    await appendAll(trails, events);
    await trails.append(events[0], {});
    const listed = await trails.list('c-1', 1000);
    expect(listed.filter((event) => event.id === events[0].id)).toHaveLength(1);
    expect(listed).toHaveLength(events.length);
  });

  it('a slot holding another page than the one wanted is not listed in its place', async () => {
    const { kv } = watchedKv();
    const trails = new KvAuditTrails(kv);
    // The foreign trail keeps 100 events: a ring of 4 pages.
    const events = Array.from({ length: 180 }, (_, i) =>
      makeAuditEvent({ clientId: 'c-1', at: T0 + i, actor: 'staff:elsewhere', action: 'client.match' }),
    );
    for (const event of events) await trails.append(event, { trail: 'foreign' });
    const before = await trails.list('c-1', 1000);
    expect(before).toEqual(events.slice(-before.length).reverse());
    // Page 1's slot overwritten with page 1 itself, long gone (a late write, an old export).
    const stale = { page: 1, events: events.slice(20, 40).reverse() };
    const slot = keys.auditPage('c-1', 'foreign', 1);
    const held = await kv.get<{ page: number }>(slot);
    expect(held?.page).toBeGreaterThan(1);
    await kv.set(slot, stale);
    const after = await trails.list('c-1', 1000);
    expect(after.some((event) => stale.events.some((old) => old.id === event.id))).toBe(false);
  });

  it('a page written late, after the ring went round, does not replace the newer page in its slot', async () => {
    const { kv, beforeNextPage } = watchedKv();
    const trails = new KvAuditTrails(kv);
    const foreign = (i: number) =>
      makeAuditEvent({ clientId: 'c-1', at: T0 + i, actor: 'staff:elsewhere', action: 'client.match' });
    const append = (event: AuditEvent) => trails.append(event, { trail: 'foreign' });
    for (let i = 0; i < 2 * AUDIT_PAGE; i++) await append(foreign(i));
    // This append pages the full head; before its page lands, others page it and 5 more.
    const others = Array.from({ length: 120 }, (_, i) => foreign(1000 + i));
    beforeNextPage(async () => {
      for (const event of others) await append(event);
    });
    const late = foreign(40);
    await append(late);
    const listed = await trails.list('c-1', 1000);
    expect(listed).toHaveLength(100);
    expect(listed.map((event) => event.id)).toContain(late.id);
    expect(listed.map((event) => event.id)).toEqual(
      expect.arrayContaining(others.slice(-99).map((e) => e.id)),
    );
  });

  it('erasing a client while an append is paging its trail leaves no page behind', async () => {
    const { kv, beforeNextPage } = watchedKv();
    const trails = new KvAuditTrails(kv);
    const events = memberEvents(2 * AUDIT_PAGE + 1);
    await appendAll(trails, events.slice(0, -1));
    beforeNextPage(() => trails.remove('c-1'));
    await trails.append(events.at(-1)!, {});
    expect(await kv.keys('audit-page')).toEqual([]);
    expect(await trails.list('c-1', 1000)).toEqual([]);
  });

  it('on fs, erasing a client leaves no file or folder named after it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'audit-pages-'));
    try {
      const trails = new KvAuditTrails(createFsKv(dataDir));
      await appendAll(trails, memberEvents(5 * AUDIT_PAGE));
      await trails.append(makeAuditEvent({ clientId: 'c-1', actor: 'staff:desk-1' }), {});
      const named = async () =>
        (await readdir(dataDir, { recursive: true })).filter((entry) => entry.includes('c-1'));
      expect((await named()).length).toBeGreaterThan(3);
      await trails.remove('c-1');
      expect(await named()).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('removing a client also removes a page written just before a crash', async () => {
    const { kv, crashAfterNextPage } = watchedKv();
    const trails = new KvAuditTrails(kv);
    const events = memberEvents(2 * AUDIT_PAGE + 1);
    await appendAll(trails, events.slice(0, -1));
    crashAfterNextPage();
    await expect(trails.append(events.at(-1)!, {})).rejects.toThrow();
    expect(await kv.keys('audit-page')).toHaveLength(1);
    await trails.remove('c-1');
    expect(await kv.keys('audit-page')).toEqual([]);
    expect(await kv.keys('member-audit')).toEqual([]);
  });

  it('appends racing across a page boundary each land once', async () => {
    const { kv } = watchedKv();
    const trails = new KvAuditTrails(kv);
    const events = memberEvents(2 * AUDIT_PAGE + 30);
    await appendAll(trails, events.slice(0, 2 * AUDIT_PAGE - 5));
    await Promise.all(events.slice(2 * AUDIT_PAGE - 5).map((event) => trails.append(event, {})));
    const listed = await trails.list('c-1', 1000);
    expect(listed.map((event) => event.id).sort()).toEqual(events.map((event) => event.id).sort());
  });
});
