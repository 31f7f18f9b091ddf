#!/usr/bin/env node
/**
 * The `client-reset` command, for operators and integrators. Each sub-command loads only its own
 * modules, so `serve` starts without the import tooling and `provision` without the server.
 */
import { runCommand } from '../command.js';
import { ConfigError, loadConfig } from '../config.js';
import { explainApiFailure, runProvision, runWebhooks, UsageError } from './api-commands.js';

const USAGE = `Usage: client-reset <command>
  serve                        start the server (configured by the environment; see README)
  migrate                      bring the PostgreSQL schema of STORAGE=postgres up to date
  export <file>                write every record of the configured store to a new file (- for stdout)
  import <file>                read an export into the configured store (- for stdin)
  keys rotate                  a new signing key; older ones keep verifying until their tokens expire
  provision <members.ndjson> [--results <file>]
                               provision every client of the file over the running server's API
                               (one {"id", "name", "email", "tenants", ...} per line); failed lines are
                               printed with their line number, --results keeps every line's result
  webhooks replay <endpoint-id> [--since <time>] [--all]
                               send the endpoint's failed deliveries again (--all: every finished one)
                               made since <time> (an ISO time, or 30m, 12h, 7d ago; default 24h)
The store commands read STORAGE, DATA_DIR, REDIS_URL, DATABASE_URL as serve does. The API commands read
  CLIENT_RESET_URL    the server, e.g. https://reset.example.com (default http://localhost:8787)
  API_BASE_PATH       as the server has it (default api)
  PROVISION_API_KEY   the server's provisioning key`;

const [command, ...args] = process.argv.slice(2);

// These entry points run on import (as `npm run serve`, `migrate`, `export` and `import` do): the
// export and import one reads its sub-command and file from the same arguments.
const RUN_ON_IMPORT: Record<string, () => Promise<unknown>> = {
  serve: () => import('../main.js'),
  migrate: () => import('../migrate.js'),
  export: () => import('../transfer/cli.js'),
  import: () => import('../transfer/cli.js'),
};

async function main(): Promise<number> {
  if (command === 'provision') return runProvision(args, process.env, USAGE);
  if (command === 'webhooks') return runWebhooks(args, process.env, USAGE);
  if (command === 'keys' && args.length === 1 && args[0] === 'rotate') {
    const { runRotateKeys } = await import('./rotate-keys.js');
    return runRotateKeys(loadConfig(), process.stdout);
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  throw new UsageError(USAGE);
}

function explain(error: unknown): string {
  if (error instanceof UsageError || error instanceof ConfigError) return error.message;
  return explainApiFailure(error);
}

const load = command ? RUN_ON_IMPORT[command] : undefined;
if (load) await load();
else runCommand(main, explain);
