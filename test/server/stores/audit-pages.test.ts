/**
 * The audit trail kept in pages (`server/store/kv-audit.ts`): what an append writes stays small
 * however long the trail, a trail written before pages still reads, and a crash between writing
 * a page and moving the head on neither loses an event nor lists one twice.
 */
import { describe, expect, it } from 'vitest';
import type { AtomicKv, UpdateStep } from '../../../server/store/atomic-kv.js';
import { makeAuditEvent, T0 } from '../../../server/store/conformance/records.js';
import { AUDIT_PAGE, KvAuditTrails } from '../../../server/store/kv-audit.js';
import { keys } from '../../../server/store/kv-keys.js';
import { createMemoryKv } from '../../../server/store/memory-kv.js';
import type { AuditEvent } from '../../../server/domain.js';

/** A memory kv that records the size of every value written, and can fail the next head update after a page. */
function watchedKv() {
  const kv = createMemoryKv();
  const written: number[] = [];
  let crashAfterPage = false;
  let pageWritten = false;
  const watched = Object.create(kv) as AtomicKv;
  watched.set = async <T>(key: string, value: T) => {
    written.push(JSON.stringify(value).length);
    pageWritten = key.startsWith('audit-page:');
    return kv.set(key, value);
  };
  watched.update = async <T, R>(key: string, fn: (current: T | null) => UpdateStep<T, R>) => {
    if (crashAfterPage && pageWritten) {
      crashAfterPage = false;
      throw new Error('the process died here');
    }
    return kv.update<T, R>(key, (current) => {
      const step = fn(current);
      if (step.value) written.push(JSON.stringify(step.value).length);
      return step;
    });
  };
  return { kv: watched, written, crashAfterNextPage: () => (crashAfterPage = true) };
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

  it('a trail written before pages lists as it was, and pages on the next append', async () => {
    const { kv } = watchedKv();
    const trails = new KvAuditTrails(kv);
    const old = memberEvents(200).reverse();
    await kv.set(keys.audit('c-1', 'member'), { events: old });
    expect(await trails.list('c-1', 1000)).toEqual(old);
    const next = makeAuditEvent({ clientId: 'c-1', at: T0 + 1000 });
    await trails.append(next, {});
    expect(await trails.list('c-1', 1000)).toEqual([next, ...old.slice(0, 199)]);
    expect((await kv.keys('audit-page')).length).toBe(1);
  });

  it('a crash after a page is written loses nothing, lists nothing twice, and the retry completes it', async () => {
    const { kv, crashAfterNextPage } = watchedKv();
    const trails = new KvAuditTrails(kv);
    // The ring has gone round once: the next page takes the slot of the oldest one.
    const events = memberEvents(221);
    await appendAll(trails, events.slice(0, 220));
    crashAfterNextPage();
    await expect(trails.append(events[220], {})).rejects.toThrow('the process died here');
    expect(await trails.list('c-1', 1000)).toEqual(events.slice(20, 220).reverse());
    await trails.append(events[220], {});
    expect(await trails.list('c-1', 1000)).toEqual(events.slice(21).reverse());
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
