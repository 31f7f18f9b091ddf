/** The store contract on the memory backend. */
import { testStore } from '../../../server/store/conformance/index.js';
import { KvStore } from '../../../server/store/kv-store.js';
import { InProcessDirectory } from '../../../server/store/in-process-directory.js';
import { createMemoryKv } from '../../../server/store/memory-kv.js';

testStore('memory', async () => {
  const kv = createMemoryKv();
  // One process holds the data: every handle is the same store.
  const store = new KvStore(kv, new InProcessDirectory());
  return {
    open: () => store,
    counterRecords: async () => (await kv.keys('window')).length + (await kv.keys('attempts')).length,
  };
});
