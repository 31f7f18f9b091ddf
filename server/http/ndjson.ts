/** Newline-delimited JSON in and out, streamed: a bulk request is never held whole in memory. */

export type NdjsonLine =
  { number: number; text: string } | { number: number; tooLong: true } | { number: number; notUtf8: true };

/**
 * The non-blank lines of a body, numbered from 1 as an editor numbers them. A line longer than
 * `maxLineBytes` is reported without being kept, so one runaway line cannot fill the memory.
 */
export async function* readLines(
  body: ReadableStream<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<NdjsonLine> {
  // Fatal: a byte sequence that is not UTF-8 fails its line instead of becoming U+FFFD in a name.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let overflowed = false;
  let number = 0;

  function* finishLine(): Generator<NdjsonLine> {
    number++;
    if (overflowed) {
      yield { number, tooLong: true };
    } else {
      let text: string | null = null;
      try {
        text = decoder.decode(Buffer.concat(pending)).replace(/\r$/, '');
      } catch {
        yield { number, notUtf8: true };
      }
      if (text !== null && text.trim() !== '') yield { number, text };
    }
    pending = [];
    pendingBytes = 0;
    overflowed = false;
  }

  const reader = body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      const chunk = read.value;
      let start = 0;
      for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
        keep(chunk.subarray(start, newline));
        yield* finishLine();
        start = newline + 1;
      }
      keep(chunk.subarray(start));
    }
  } finally {
    // Stopped early (the caller went away): the rest of the body is not wanted.
    await reader.cancel().catch(() => {});
  }
  if (pendingBytes > 0 || overflowed) yield* finishLine();

  function keep(part: Uint8Array): void {
    if (part.length === 0 || overflowed) return;
    pendingBytes += part.length;
    if (pendingBytes > maxLineBytes) {
      overflowed = true;
      pending = [];
    } else {
      pending.push(part);
    }
  }
}

/** A streamed `application/x-ndjson` answer, one JSON value per line, written as each is ready. */
export function ndjsonResponse(
  values: AsyncIterable<unknown>,
  headers: Record<string, string> = {},
): Response {
  const encoder = new TextEncoder();
  const iterator = values[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8', ...headers },
  });
}
