/**
 * CPU pinning for the HTTP benches: on a small machine the load generator and the server under
 * test otherwise share cores as the scheduler pleases, and one round's figure can halve the next
 * one's. With `taskset` and at least two cores, the bench process keeps core 0 and every server
 * it starts runs on the others, so each server in turn gets the same core to itself.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const pinning = availableParallelism() >= 2 && hasTaskset();

/** The cores the servers get (all but the first), as taskset's list. */
const serverCores = `1-${availableParallelism() - 1}`;

/** Moves this process (the load generator) to core 0; a no-op without pinning. */
export function pinLoadGenerator(): void {
  if (pinning) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
}

/** How to start a server process on the server cores: `executable` and `args` for `startServerProcess`. */
export function onServerCores(args: string[]): { executable: string; args: string[] } {
  return pinning
    ? { executable: 'taskset', args: ['-c', serverCores, process.execPath, ...args] }
    : { executable: process.execPath, args };
}

export function pinningNote(): string {
  return pinning
    ? `load generator on core 0, servers on cores ${serverCores}`
    : 'no CPU pinning (needs taskset and two cores)';
}
