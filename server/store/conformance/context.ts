/** What each part of the conformance suite is given: a fresh store per test, and more handles on its data. */
import type { Store } from '../store.js';

export interface StoreFixture {
  /**
   * A store on this fixture's data: fresh and empty for each fixture; every call opens another
   * handle on the same data (a second server process, say).
   */
  open(): Store;
  /**
   * How many counter records (rate windows and attempt counters) the backend holds now, so the
   * suite can see that they expire.
   */
  counterRecords(): Promise<number>;
  /** Frees what the fixture made (a temp folder, a key prefix, a database); the stores are closed first. */
  dispose?(): Promise<void>;
}

export interface SuiteContext {
  /** Makes a fresh fixture and opens a store on it (`store`). */
  setUp(): Promise<void>;
  readonly store: Store;
  readonly fixture: StoreFixture;
  /** Another handle on the fixture's data. */
  open(): Store;
  /** A store on a fixture of its own, fresh and empty (an import's target, say). */
  another(): Promise<Store>;
}
