/** Stand-alone server: reads the environment, builds the dependencies, seeds the demo if asked, listens. */
import { serve, type ServerType } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.js';
import { createDeps } from './create-deps.js';
import { seedDemo } from './demo-seed.js';
import { createApp } from './index.js';
import { MAIL_UNSET_PROBLEM } from './readiness.js';
import { claimStore } from './store-owner.js';
import { createStore } from './store/create-store.js';
import { syncConfiguredEndpoints } from './flows/webhook-endpoints.js';

/**
 * How long shutdown may take in all: requests in flight, the webhook try under way and mail still
 * being sent share it, within the 30 s orchestrators commonly allow before killing.
 */
const SHUTDOWN_GRACE_MS = 25_000;

/** Stops accepting, waits for the requests in flight (at most `graceMs`); false when some were cut. */
async function closeServer(server: ServerType, graceMs: number): Promise<boolean> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A keep-alive socket becomes idle once its answer is sent: close those as they come.
  const idle = () => {
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  idle();
  const sweep = setInterval(idle, 50);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const inTime = await Promise.race([closed.then(() => true as const), late]);
  clearTimeout(timer);
  clearInterval(sweep);
  if (!inTime && 'closeAllConnections' in server) server.closeAllConnections();
  return inTime;
}

async function main(): Promise<void> {
  const config = loadConfig();
  // Claimed before anything is written to it (the demo would seed, and keep a key of its own).
  const store = createStore(config);
  await claimStore(store, config.demo);
  const deps = await createDeps(config, { store });
  // Off the start-up path: on a big store listing the counters takes a while.
  deps.background.run('remove-expired-counters', async () => {
    deps.logger.info({ removed: await store.removeExpired() }, 'expired counters removed');
  });
  if (config.demo) {
    deps.logger.warn(
      'DEMO=1: a demo on this machine only (loopback); anyone here can mint staff tokens and read the outbox. ' +
        'Production starts with `npm run serve`.',
    );
    if (await seedDemo(deps)) deps.logger.info({ tenant: 'demo-studio' }, 'demo data created');
  }
  await syncConfiguredEndpoints(deps);
  deps.webhooks.start();
  // Loud on purpose: without it, every reset link would wait in an outbox nobody reads.
  if (config.mailUnset) deps.logger.error(MAIL_UNSET_PROBLEM);
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    deps.logger.info(
      {
        address: info.address,
        port: info.port,
        publicUrl: config.publicUrl,
        storage: config.storage,
        mail: config.mail,
        demo: config.demo,
      },
      `listening on ${config.publicUrl}`,
    );
  });

  const shutdown = async (signal: string) => {
    deps.logger.info({ signal }, 'shutting down');
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    const left = () => Math.max(0, deadline - Date.now());
    // No new connections; requests in flight are answered while webhook delivery winds down.
    const [answered] = await Promise.all([closeServer(server, left()), deps.webhooks.stop()]);
    if (!answered) deps.logger.warn('shutting down with requests still in flight');
    // Mail still being retried gets what is left of the time, not the whole minute of its retries.
    if (!(await deps.background.drain(left()))) {
      deps.logger.warn({ tasks: deps.background.size }, 'shutting down with background work unfinished');
    }
    await deps.mailer.close();
    await deps.store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('The server could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
