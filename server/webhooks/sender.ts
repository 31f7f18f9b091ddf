/**
 * One try of one delivery: a POST with the signed headers, a deadline, no redirects followed, the
 * receiver's body read and dropped. What it answers is kept as a status only.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkedLookup, endpointUrlProblem, resolveAll, type Resolve } from './endpoint-address.js';

export interface SendResult {
  ok: boolean;
  status?: number;
  error?: string;
  ms: number;
}

export type SendWebhook = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/** The most of a receiver's answer read before the connection is dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function createWebhookSender(options: {
  allowPrivate: boolean;
  timeoutMs: number;
  resolve?: Resolve;
}): SendWebhook {
  const lookup = checkedLookup(options.allowPrivate, options.resolve ?? resolveAll);
  return async (url, headers, body) => {
    const problem = endpointUrlProblem(url, options.allowPrivate);
    if (problem) return { ok: false, error: `URL ${problem}`, ms: 0 };
    const started = performance.now();
    const result = await post(new URL(url), { ...headers, 'content-type': 'application/json' }, body, {
      lookup,
      timeoutMs: options.timeoutMs,
    });
    return { ...result, ms: Math.round(performance.now() - started) };
  };
}

/** One POST on a fresh connection through `lookup`, ended by the first of an answer, an error or the deadline. */
function post(
  target: URL,
  headers: Record<string, string>,
  body: string,
  options: { lookup: LookupFunction; timeoutMs: number },
): Promise<Omit<SendResult, 'ms'>> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const request = client.request(
      target,
      {
        method: 'POST',
        lookup: options.lookup,
        // A fresh connection each time: a kept-alive one would skip the address check.
        agent: false,
        headers: {
          ...headers,
          'content-length': Buffer.byteLength(body),
          'user-agent': 'client-reset-webhooks/1',
        },
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const done = () =>
          finish(
            status >= 200 && status < 300
              ? { ok: true, status }
              : { ok: false, status, error: `HTTP ${status}` },
          );
        response.on('end', done);
        response.on('close', done);
      },
    );
    const deadline = setTimeout(() => {
      request.destroy();
      finish({ ok: false, error: `no answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        error: error.code === 'ADDRESS_NOT_ALLOWED' ? error.message : (error.code ?? error.message),
      }),
    );
    request.end(body);
  });
}
