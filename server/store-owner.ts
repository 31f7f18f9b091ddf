/**
 * Which kind of server a store belongs to. The demo publishes every mail and mints staff tokens
 * for anyone, so it must never run on a production server's data (its accounts, its signing key):
 * production marks its store on every start, and the demo refuses a store so marked.
 */
import { ConfigError } from './config.js';
import type { Store } from './store/store.js';

const OWNER_SETTING = 'store-owner';

export async function claimStore(store: Store, demo: boolean): Promise<void> {
  if (!demo) {
    await store.putSetting(OWNER_SETTING, 'production');
    return;
  }
  const owner = await store.setSettingIfAbsent(OWNER_SETTING, 'demo');
  if (owner === 'production') {
    throw new ConfigError(
      'Demo mode refuses this store: a production server (npm run serve) keeps its data here.\n' +
        '  Point the demo at a data folder of its own (DATA_DIR), another Redis (REDIS_URL) or another database (DATABASE_URL).',
    );
  }
}
