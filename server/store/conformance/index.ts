/**
 * One conformance suite for every store: the guarantees the flows rely on (single use under
 * parallel calls, exact windows and counters, no lost update, unique emails and usernames, the
 * directory, bounded trails), so a backend of one's own can prove itself the way the built-in
 * ones do — `testStore('my store', async () => ({ open, counterRecords }))` in a vitest file.
 */
import { afterEach, describe } from 'vitest';
import type { Store } from '../store.js';
import { accountTests } from './accounts.js';
import type { StoreFixture, SuiteContext } from './context.js';
import { counterTests } from './counters.js';
import { directoryTests } from './directory.js';
import { trailTests } from './trails.js';
import { transferTests } from './transfer.js';
import { webhookTests } from './webhooks.js';

export type { StoreFixture } from './context.js';

export function testStore(name: string, makeFixture: () => Promise<StoreFixture>): void {
  describe(`Store on ${name}`, () => {
    let current: { store: Store; fixture: StoreFixture } | null = null;
    const opened: Store[] = [];
    const others: StoreFixture[] = [];

    const ctx: SuiteContext = {
      async setUp() {
        const fixture = await makeFixture();
        current = { fixture, store: fixture.open() };
        opened.push(current.store);
      },
      get store() {
        if (!current) throw new Error('setUp() first');
        return current.store;
      },
      get fixture() {
        if (!current) throw new Error('setUp() first');
        return current.fixture;
      },
      open() {
        const handle = ctx.fixture.open();
        opened.push(handle);
        return handle;
      },
      async another() {
        const fixture = await makeFixture();
        others.push(fixture);
        const handle = fixture.open();
        opened.push(handle);
        return handle;
      },
    };

    afterEach(async () => {
      for (const handle of opened.splice(0).reverse()) await handle.close().catch(() => undefined);
      await current?.fixture.dispose?.();
      for (const fixture of others.splice(0)) await fixture.dispose?.();
      current = null;
    });

    accountTests(ctx);
    counterTests(ctx);
    trailTests(ctx);
    directoryTests(ctx);
    transferTests(ctx);
    webhookTests(ctx);
  });
}
