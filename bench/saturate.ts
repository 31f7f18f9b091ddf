/** What the in-process throughput benches share: their options, a fixed number in flight for a time, fresh client addresses, medians. */
import { parseArgs } from 'node:util';
import type { Backend } from './backends.js';

/** `--rounds 5 --seconds 3 --members <defaultMembers> --backend …` (memory and fs by default). */
export function throughputOptions(defaultMembers: number) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '3' },
      members: { type: 'string', default: String(defaultMembers) },
      backend: { type: 'string', multiple: true },
    },
  });
  return {
    rounds: Number(values.rounds),
    seconds: Number(values.seconds),
    members: Number(values.members),
    backends: (values.backend ?? ['memory', 'fs']) as Backend[],
  };
}

/**
 * `unit(0)`, `unit(1)`, … with `concurrency` in flight for `seconds`, then `settle` (untimed);
 * returns units a second.
 */
export async function saturate(
  options: { concurrency: number; seconds: number },
  unit: (i: number) => Promise<void>,
  settle?: () => Promise<unknown>,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (; performance.now() < started + options.seconds * 1000; done++) await unit(next++);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const perSecond = done / ((performance.now() - started) / 1000);
  await settle?.();
  return perSecond;
}

let addresses = 0;

/** A fresh client address for each request, as from many browsers (one address's budget would fill). */
export function nextAddress(): string {
  addresses++;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
