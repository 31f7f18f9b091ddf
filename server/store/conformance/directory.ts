/** The store contract for the directory: listing, searching, paging and counting a tenant's clients. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import type { SuiteContext } from './context.js';
import { codeOf, idsIn } from './helpers.js';
import { makeAccount } from './records.js';

const PEOPLE = [
  { id: 'p-1', name: 'Élodie Brun', email: 'elodie.brun@example.com', username: 'elo' },
  { id: 'p-2', name: 'Alice Martin', email: 'alice@example.org', username: 'alice.m' },
  { id: 'p-3', name: 'Al Smith', email: 'al.smith@example.com', username: null },
  { id: 'p-4', name: 'Bruno Salazar', email: 'bruno@sal.example', username: 'bsal' },
  { id: 'p-5', name: 'Zoë Lefèvre', email: null, username: 'zoe_l' },
  { id: 'p-6', name: 'alice Martin', email: 'alice.two@example.com', username: null },
];

export function directoryTests(ctx: SuiteContext): void {
  let store: Store;
  const setUp = async (): Promise<void> => {
    await ctx.setUp();
    store = ctx.store;
  };

  async function seedPeople(tenants = ['acme']): Promise<void> {
    for (const person of PEOPLE) await store.createAccount(makeAccount({ ...person, tenants }));
  }

  /** The ids that `q` finds in `tenantId`, all pages. */
  async function found(q: string, tenantId = 'acme'): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.searchClients(tenantId, { q, limit: 2, cursor });
      ids.push(...page.items.map((account) => account.id));
      cursor = page.next;
    } while (cursor);
    return ids;
  }

  describe('directory', () => {
    it('lists a tenant’s clients by name (accents and case aside), then id, a page at a time, and counts them', async () => {
      await setUp();
      await seedPeople();
      await store.createAccount(makeAccount({ id: 'other', name: 'Aaron Other', tenants: ['beta'] }));
      const first = await store.searchClients('acme', { limit: 4 });
      expect(first.items.map((account) => account.id)).toEqual(['p-3', 'p-2', 'p-6', 'p-4']);
      expect(first.next).toEqual(expect.any(String));
      const second = await store.searchClients('acme', { limit: 4, cursor: first.next });
      expect(second.items.map((account) => account.id)).toEqual(['p-1', 'p-5']);
      expect(second.next).toBeNull();
      // A page holds whole records.
      expect(first.items[0]).toEqual(await store.getAccount('p-3'));
      expect(await store.countClients('acme')).toBe(6);
      expect(await store.countClients('beta')).toBe(1);
      expect(await store.countClients('nobody')).toBe(0);
      expect(await store.searchClients('nobody', { limit: 10 })).toEqual({ items: [], next: null });
    });

    it('finds by part of the name, email or username, with accents and case ignored; every term must match', async () => {
      await setUp();
      await seedPeople();
      // Three letters or more: anywhere.
      expect(await found('lod')).toEqual(['p-1']);
      expect(await found('ELODIE')).toEqual(['p-1']);
      expect(await found('élo')).toEqual(['p-1']);
      expect(await found('lefevre')).toEqual(['p-5']);
      expect(await found('zoe_')).toEqual(['p-5']);
      expect(await found('example.org')).toEqual(['p-2']);
      expect(await found('sal')).toEqual(['p-4']);
      expect(await found('alice martin')).toEqual(['p-2', 'p-6']);
      expect(await found('martin alice.two')).toEqual(['p-6']);
      expect(await found('alice xyz')).toEqual([]);
      // One or two: the start of a word.
      expect(await found('al')).toEqual(['p-3', 'p-2', 'p-6']);
      expect(await found('b')).toEqual(['p-4', 'p-1']);
      expect(await found('z')).toEqual(['p-5']);
      expect(await found('ar')).toEqual([]);
      expect(await store.countClients('acme', 'al')).toBe(3);
      expect(await store.countClients('acme', 'example')).toBe(5);
      // An empty query lists everyone.
      expect(await found('   ')).toHaveLength(6);
    });

    it('follows every change at once: name, email, username, tenants, deletion', async () => {
      await setUp();
      await seedPeople();
      await store.updateAccount('p-4', (current) => ({
        ...current,
        name: 'Bruna Costa',
        email: 'bc@example.net',
      }));
      expect(await found('bruno')).toEqual([]);
      expect(await found('costa')).toEqual(['p-4']);
      expect(await found('example.net')).toEqual(['p-4']);
      expect(await found('salazar')).toEqual([]);
      await store.updateAccount('p-4', (current) => ({ ...current, tenants: ['beta'] }));
      expect(await found('costa')).toEqual([]);
      expect(await found('costa', 'beta')).toEqual(['p-4']);
      await store.updateAccount('p-4', (current) => ({ ...current, tenants: ['acme', 'beta'] }));
      expect(await found('costa')).toEqual(['p-4']);
      expect(await store.deleteAccount('p-4')).toBe(true);
      expect(await found('costa')).toEqual([]);
      expect(await found('costa', 'beta')).toEqual([]);
      expect(await store.countClients('acme')).toBe(5);
    });

    it('keeps every one of 40 parallel creates and the last of parallel renames', async () => {
      await setUp();
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          store.createAccount(
            makeAccount({
              id: `par-${i}`,
              name: `Parallel ${String(i).padStart(2, '0')}`,
              tenants: ['acme'],
            }),
          ),
        ),
      );
      expect(await store.countClients('acme')).toBe(40);
      expect(await idsIn(store, 'acme')).toEqual(Array.from({ length: 40 }, (_, i) => `par-${i}`));
      const renames = Array.from({ length: 10 }, (_, i) =>
        store.updateAccount('par-0', (current) => ({ ...current, name: `Renamed ${i}` })),
      );
      await Promise.all(renames);
      const final = (await store.getAccount('par-0'))!.name;
      expect(await found(final)).toEqual(['par-0']);
      expect(await found('renamed')).toEqual(['par-0']);
      expect(await store.countClients('acme', 'renamed')).toBe(1);
    });

    it('refuses a cursor it did not make', async () => {
      await setUp();
      await seedPeople();
      expect(await codeOf(store.searchClients('acme', { limit: 2, cursor: 'not-a-cursor' }))).toBe(
        'invalid_request',
      );
    });

    it('pages through a few hundred clients, each once, in order, whatever share of them a search keeps', async () => {
      await setUp();
      const names = Array.from({ length: 230 }, (_, i) => `Member ${String(i).padStart(3, '0')}`);
      for (const [i, name] of names.entries())
        await store.createAccount(makeAccount({ id: `m-${i}`, name, tenants: ['acme'] }));
      const pages = async (q: string) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.searchClients('acme', { q, limit: 50, cursor });
          seen.push(...page.items.map((account) => account.name));
          cursor = page.next;
        } while (cursor);
        return seen;
      };
      expect(await pages('member')).toEqual(names);
      // Most candidates of the first term fail the second: pages are still full and in order.
      expect(await pages('member 1')).toEqual(names.slice(100, 200));
      expect(await pages('mem 22')).toEqual(names.slice(220, 230));
    });
  });
}
