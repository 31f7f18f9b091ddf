/**
 * The commands of `client-reset` that speak to a running server over its provisioning API
 * (CLIENT_RESET_URL, PROVISION_API_KEY), so they work the same against a laptop or production:
 * `provision <file>` and `webhooks replay <endpoint>`.
 */
import { parseArgs } from 'node:util';
import { callApi, targetFromEnv, type ApiTarget } from './api-target.js';
import { importMembers } from './import-members.js';

/** A command used the wrong way: its message is all the operator needs. */
export class UsageError extends Error {}

function requireTarget(env: NodeJS.ProcessEnv): ApiTarget {
  const target = targetFromEnv(env);
  if (!target) throw new UsageError("Set PROVISION_API_KEY to the server's provisioning key.");
  return target;
}

export async function runProvision(args: string[], env: NodeJS.ProcessEnv, usage: string): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { results: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(usage);
  const totals = await importMembers(positionals[0], requireTarget(env), {
    resultsFile: values.results,
    progress: process.stderr,
    failures: process.stdout,
  });
  const rate = Math.round(totals.lines / Math.max(totals.seconds, 0.001));
  process.stderr.write(
    `${totals.lines.toLocaleString('en')} lines in ${totals.seconds.toFixed(1)} s (${rate.toLocaleString('en')} lines/s): ` +
      `${totals.created} created, ${totals.updated} updated, ${totals.failed} failed.\n`,
  );
  if (totals.failed > 0) {
    process.stderr.write(
      'Correct the failed lines and run the file again: lines already in are kept as they are.\n',
    );
  }
  return totals.failed > 0 ? 1 : 0;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO time, or a duration back from now (`30m`, `12h`, `7d`). */
function sinceTime(text: string, now: number): string {
  const ago = /^(\d+)([mhd])$/.exec(text);
  if (ago) return new Date(now - Number(ago[1]) * UNITS[ago[2]]).toISOString();
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new UsageError(`--since takes an ISO time or 30m, 12h, 7d; not "${text}".`);
  return new Date(at).toISOString();
}

export async function runWebhooks(args: string[], env: NodeJS.ProcessEnv, usage: string): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { since: { type: 'string', default: '24h' }, all: { type: 'boolean', default: false } },
  });
  if (positionals[0] !== 'replay' || positionals.length !== 2) throw new UsageError(usage);
  const endpoint = positionals[1];
  const since = sinceTime(values.since, Date.now());
  const response = await callApi(
    requireTarget(env),
    'POST',
    `/provision/webhooks/${encodeURIComponent(endpoint)}/replay`,
    {
      json: { since, all: values.all },
    },
  );
  const { queued } = (await response.json()) as { queued: number };
  process.stderr.write(
    `${queued} ${values.all ? 'finished' : 'failed'} deliveries since ${since} queued again for ${endpoint}.\n`,
  );
  return 0;
}

/** What the operator reads when a command over the API stopped. */
export function explainApiFailure(error: unknown): string {
  if (error instanceof UsageError) return error.message;
  // fetch says only "fetch failed"; its cause says why (a refused connection, an unknown host).
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return `client-reset stopped: ${reason}. What was reported above is done; running the same command again is safe.`;
}
