/**
 * One try of one delivery: a POST with the signed headers, a deadline, no redirects followed, the
 * receiver's body read and dropped. What it answers is kept as a status only.
 */
import http from 'node:http';
import https from 'node:https';
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
  return (url, headers, body) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const problem = endpointUrlProblem(url, options.allowPrivate);
    if (problem) return Promise.resolve({ ok: false, error: `URL ${problem}`, ms: 0 });
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: Omit<SendResult, 'ms'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve({ ...result, ms: elapsed() });
      };
      const request = client.request(
        target,
        {
          method: 'POST',
          lookup,
          // A fresh connection each time: a kept-alive one would skip the address check.
          agent: false,
          headers: {
            ...headers,
            'content-type': 'application/json',
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
  };
}
