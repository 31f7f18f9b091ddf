/** The store contract for the audit trails, the outbox and settings. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { makeAuditEvent, makeOutboxMessage, T0 } from './records.js';
import type { SuiteContext } from './context.js';

export function trailTests(ctx: SuiteContext): void {
  let store: Store;
  const setUp = async (): Promise<void> => {
    await ctx.setUp();
    store = ctx.store;
  };

  describe('audit, outbox and settings', () => {
    it('lists audit events newest first, per client, bounded by the limit', async () => {
      await setUp();
      const events = Array.from({ length: 5 }, (_, i) => makeAuditEvent({ clientId: 'c-1', at: T0 + i }));
      for (const event of events) await store.appendAudit(event);
      await store.appendAudit(makeAuditEvent({ clientId: 'c-2' }));
      expect(await store.listAudit('c-1', 3)).toEqual([events[4], events[3], events[2]]);
      expect(await store.listAudit('c-1', 50)).toHaveLength(5);
      expect(await store.listAudit('c-2', 50)).toHaveLength(1);
      expect(await store.listAudit('c-3', 50)).toEqual([]);
    });

    it('a long trail lists exactly its newest events, in order, as many as it keeps', async () => {
      await setUp();
      const events = Array.from({ length: 600 }, (_, i) =>
        makeAuditEvent({ clientId: 'c-1', at: T0 + i, action: 'login' }),
      );
      for (const event of events.slice(0, 130)) await store.appendAudit(event);
      expect(await store.listAudit('c-1', 1000)).toEqual(events.slice(0, 130).reverse());
      expect(await store.listAudit('c-1', 7)).toEqual(events.slice(123, 130).reverse());
      for (const event of events.slice(130)) await store.appendAudit(event);
      // 200 kept on the member trail: the oldest 400 made room.
      expect(await store.listAudit('c-1', 1000)).toEqual(events.slice(400).reverse());
      expect(await store.listAudit('c-1', 45)).toEqual(events.slice(555).reverse());
    });

    it('an event appended again (a retry after a write whose answer was lost) is recorded once', async () => {
      await setUp();
      const event = makeAuditEvent({ clientId: 'c-1', actor: 'member', at: T0 });
      await store.appendAudit(event);
      await store.appendAudit(event);
      expect(await store.listAudit('c-1', 50)).toEqual([event]);
    });

    it('member traffic never pushes staff events out; repeats within a window are one record with a count', async () => {
      await setUp();
      const staff = makeAuditEvent({ clientId: 'c-1', actor: 'staff:desk-1', tenantId: 'acme', at: T0 });
      await store.appendAudit(staff);
      for (let i = 1; i <= 600; i++) {
        await store.appendAudit(
          makeAuditEvent({ clientId: 'c-1', actor: 'member', at: T0 + i, action: 'login' }),
        );
      }
      // Another company's lookups go on a trail of their own, bounded too.
      for (let i = 1; i <= 150; i++) {
        const lookup = makeAuditEvent({
          clientId: 'c-1',
          actor: 'staff:elsewhere',
          at: T0 + i,
          action: 'client.match',
        });
        await store.appendAudit(lookup, { trail: 'foreign' });
      }
      const all = await store.listAudit('c-1', 1000);
      expect(all).toContainEqual(staff);
      expect(all.filter((event) => event.actor === 'member').length).toBeLessThanOrEqual(200);
      expect(all.filter((event) => event.action === 'client.match')).toHaveLength(100);

      const dropped = (at: number) =>
        makeAuditEvent({
          clientId: 'c-2',
          at,
          action: 'reset_link.request',
          outcome: 'refused',
          detail: { reason: 'rate_limited' },
        });
      for (let i = 0; i < 50; i++)
        await store.appendAudit(dropped(T0 + i * 1000), { mergeWithinMs: 3_600_000 });
      await store.appendAudit(dropped(T0 + 3_600_000), { mergeWithinMs: 3_600_000 });
      const merged = await store.listAudit('c-2', 10);
      expect(merged).toHaveLength(2);
      expect(merged[0]).toMatchObject({ at: T0 + 3_600_000 });
      expect(merged[0].count ?? 1).toBe(1);
      expect(merged[1]).toMatchObject({ at: T0, count: 50, lastAt: T0 + 49_000 });
    });

    it('answers a ping', async () => {
      await setUp();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('lists the outbox newest first', async () => {
      await setUp();
      const messages = Array.from({ length: 3 }, (_, i) => makeOutboxMessage({ at: T0 + i * 1000 }));
      for (const message of messages) await store.addToOutbox(message);
      expect(await store.listOutbox(2)).toEqual([messages[2], messages[1]]);
      expect(await store.listOutbox(10)).toEqual([messages[2], messages[1], messages[0]]);
    });

    it('keeps the last 500 mails, newest first, without listing the store', async () => {
      await setUp();
      const messages = Array.from({ length: 520 }, (_, i) => makeOutboxMessage({ at: T0 + i }));
      for (const message of messages) await store.addToOutbox(message);
      const listed = await store.listOutbox(1000);
      expect(listed).toHaveLength(500);
      expect(listed[0]).toEqual(messages[519]);
      expect(listed.at(-1)).toEqual(messages[20]);
    });

    it('keeps the first setting under parallel setSettingIfAbsent', async () => {
      await setUp();
      expect(await store.getSetting('signing-key')).toBeNull();
      const [a, b] = await Promise.all([
        store.setSettingIfAbsent('signing-key', { k: 'one' }),
        store.setSettingIfAbsent('signing-key', { k: 'two' }),
      ]);
      expect(a).toEqual(b);
      expect(await store.getSetting('signing-key')).toEqual(a);
      expect(await store.setSettingIfAbsent('signing-key', { k: 'three' })).toEqual(a);
      await store.putSetting('signing-key', { k: 'rotated' });
      expect(await store.getSetting('signing-key')).toEqual({ k: 'rotated' });
      // A string setting that looks like a number stays a string.
      expect(await store.setSettingIfAbsent('pepper', '0123')).toBe('0123');
      expect(await store.getSetting('pepper')).toBe('0123');
    });
  });
}
