/**
 * `client-reset provision <members.ndjson>`: the bulk provisioning API from a file, in batches, with
 * a progress line. Each batch is one `POST /api/provision/import`; a line's result is reported by
 * its line number in the file. Running the file again is safe: clients are keyed by their id.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { readLines } from '../http/ndjson.js';
import { callApi, type ApiTarget } from './api-target.js';

/** Lines per request: a request stays well under a server's five-minute request timeout. */
const BATCH_LINES = 5000;

export interface ImportOptions {
  /** Every line's result, as NDJSON with the file's line numbers. */
  resultsFile?: string;
  progress: Writable;
  failures: Writable;
}

interface LineResult {
  line: number;
  id: string | null;
  status: 'created' | 'updated' | 'failed';
  error?: { code: string; message: string };
}

export interface ImportTotals {
  lines: number;
  created: number;
  updated: number;
  failed: number;
  seconds: number;
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.trim() !== '') count++;
  }
  return count;
}

async function* batches(file: string): AsyncGenerator<{ firstLine: number; text: string }> {
  let lines: string[] = [];
  let firstLine = 1;
  let number = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    number++;
    lines.push(line);
    if (lines.length === BATCH_LINES) {
      yield { firstLine, text: `${lines.join('\n')}\n` };
      lines = [];
      firstLine = number + 1;
    }
  }
  if (lines.length > 0) yield { firstLine, text: `${lines.join('\n')}\n` };
}

/** The results of one batch as the server streams them, one parsed line at a time. */
async function* postBatch(target: ApiTarget, text: string): AsyncGenerator<LineResult> {
  const response = await callApi(target, 'POST', '/provision/import', { ndjson: text });
  if (!response.body) return;
  for await (const line of readLines(response.body, Number.POSITIVE_INFINITY)) {
    if ('text' in line) yield JSON.parse(line.text) as LineResult;
  }
}

function progressLine(totals: ImportTotals, expected: number): string {
  const done = totals.created + totals.updated + totals.failed;
  const percent = expected > 0 ? Math.floor((done / expected) * 100) : 100;
  const rate = totals.seconds > 0 ? Math.round(done / totals.seconds) : 0;
  return `${done.toLocaleString('en')} / ${expected.toLocaleString('en')} lines (${percent} %), ${rate.toLocaleString('en')} lines/s, ${totals.failed.toLocaleString('en')} failed`;
}

export async function importMembers(
  file: string,
  target: ApiTarget,
  options: ImportOptions,
): Promise<ImportTotals> {
  const expected = await countLines(file);
  const results = options.resultsFile ? createWriteStream(options.resultsFile, { flags: 'wx' }) : null;
  if (results) await once(results, 'open');
  const started = performance.now();
  const totals: ImportTotals = { lines: expected, created: 0, updated: 0, failed: 0, seconds: 0 };
  const interactive = 'isTTY' in options.progress && options.progress.isTTY === true;
  let shownAt = 0;
  const show = (final: boolean) => {
    totals.seconds = (performance.now() - started) / 1000;
    if (!final && totals.seconds - shownAt < (interactive ? 0.25 : 5)) return;
    shownAt = totals.seconds;
    options.progress.write(
      interactive ? `\r${progressLine(totals, expected)}` : `${progressLine(totals, expected)}\n`,
    );
    if (final && interactive) options.progress.write('\n');
  };

  try {
    for await (const batch of batches(file)) {
      for await (const result of postBatch(target, batch.text)) {
        const line = batch.firstLine + result.line - 1;
        totals[result.status]++;
        if (result.status === 'failed' && result.error) {
          options.failures.write(
            `line ${line}${result.id ? ` (${result.id})` : ''}: ${result.error.code}: ${result.error.message}\n`,
          );
        }
        if (results && !results.write(`${JSON.stringify({ ...result, line })}\n`))
          await once(results, 'drain');
        show(false);
      }
    }
  } finally {
    show(true);
    if (results) {
      results.end();
      await finished(results);
    }
  }
  return totals;
}
