/**
 * A sorted set of strings (by code point) kept in chunks of at most a few hundred: insertion and
 * removal find their chunk by binary search and shift only within it, so both stay O(log n) plus
 * a small constant however large the set grows, and reading a page from any point is
 * O(log n + page). The in-process directory's name order and word index.
 */

const MAX_CHUNK = 512;

export class SortedList {
  /** Sorted chunks, each non-empty and sorted; every element of a chunk sorts before the next chunk's. */
  private chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Index of the first chunk whose last element is >= value (chunks.length when none). */
  private chunkFor(value: string): number {
    let low = 0;
    let high = this.chunks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const chunk = this.chunks[mid];
      if (chunk[chunk.length - 1] < value) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  add(value: string): boolean {
    if (this.chunks.length === 0) {
      this.chunks.push([value]);
      this.count = 1;
      return true;
    }
    const at = Math.min(this.chunkFor(value), this.chunks.length - 1);
    const chunk = this.chunks[at];
    const position = lowerBound(chunk, value);
    if (chunk[position] === value) return false;
    chunk.splice(position, 0, value);
    this.count++;
    if (chunk.length > MAX_CHUNK)
      this.chunks.splice(at, 1, chunk.slice(0, MAX_CHUNK / 2), chunk.slice(MAX_CHUNK / 2));
    return true;
  }

  delete(value: string): boolean {
    const at = this.chunkFor(value);
    const chunk = this.chunks[at];
    if (!chunk) return false;
    const position = lowerBound(chunk, value);
    if (chunk[position] !== value) return false;
    chunk.splice(position, 1);
    this.count--;
    if (chunk.length === 0) this.chunks.splice(at, 1);
    return true;
  }

  /** Up to `limit` values greater than `after` (from the start without it), in order, while `keep` holds. */
  *from(after: string | null, keep: (value: string) => boolean = () => true): Generator<string> {
    let at = after === null ? 0 : this.chunkFor(after);
    let position = after === null || !this.chunks[at] ? 0 : upperBound(this.chunks[at], after);
    for (; at < this.chunks.length; at++, position = 0) {
      const chunk = this.chunks[at];
      for (; position < chunk.length; position++) {
        if (!keep(chunk[position])) return;
        yield chunk[position];
      }
    }
  }

  /** Every value that starts with `prefix`, in order. */
  withPrefix(prefix: string): Generator<string> {
    // The greatest string below the prefix is unknown; start at the first value >= prefix.
    const start = this.lastBelow(prefix);
    return this.from(start, (value) => value.startsWith(prefix));
  }

  /** The greatest value < `value`, or null: the point to start a range at `value` from. */
  private lastBelow(value: string): string | null {
    const at = this.chunkFor(value);
    const chunk = this.chunks[at];
    const position = chunk ? lowerBound(chunk, value) : 0;
    if (position > 0) return chunk[position - 1];
    const previous = this.chunks[at - 1];
    return previous ? previous[previous.length - 1] : null;
  }
}

/** Where `value` goes in `sorted` (the first place not below it). */
export function lowerBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function upperBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
