/**
 * `npm run demo:reset`: puts the demo data back as on first start — the reset behind
 * `POST /api/demo/reset` — in the store `npm start` would use (the same environment, DEMO=1 unless
 * set otherwise).
 *
 * Meant for a stopped server. With STORAGE=fs a server running on the same DATA_DIR sees the reset
 * at once, as it reads every record from disk and keeps no copy of accounts or mail; its locks are
 * per process though, so leave the demo alone for the moment the reset takes (or call the endpoint
 * instead). With STORAGE=redis the same holds, with every guarantee. STORAGE=memory keeps nothing
 * between processes, so there is nothing here to reset: use the endpoint of the running server.
 */
import { failedTo, runCommand } from './command.js';
import { loadConfig } from './config.js';
import { createDeps } from './create-deps.js';
import { resetDemo } from './demo-seed.js';
import { claimStore } from './store-owner.js';
import { createStore } from './store/create-store.js';

async function main(): Promise<number> {
  const config = loadConfig({ ...process.env, DEMO: process.env.DEMO ?? '1' });
  if (!config.demo) {
    console.error('DEMO is off: there is no demo data to reset.');
    return 1;
  }
  if (config.storage === 'memory') {
    console.error('STORAGE=memory lives inside the server process: use POST /api/demo/reset on it.');
    return 1;
  }
  const store = createStore(config);
  try {
    await claimStore(store, true);
  } catch (error) {
    await store.close();
    throw error;
  }
  const deps = await createDeps(config, { store });
  try {
    const { removed, detached } = await resetDemo(deps);
    const where = config.storage === 'fs' ? `fs store in ${config.dataDir}` : `${config.storage} store`;
    const kept = detached > 0 ? `, ${detached} shared with other tenants kept for them` : '';
    process.stdout.write(
      `Demo data reset (${where}): ${removed} accounts removed${kept}, outbox emptied, demo seeded.\n`,
    );
  } finally {
    await deps.background.drain();
    await deps.mailer.close();
    await deps.store.close();
  }
  return 0;
}

runCommand(main, failedTo('The demo could not be reset:'));
