/**
 * The directory index of the Redis backend, in Redis itself so every server process shares it.
 * Per tenant (one hash tag, so one slot on a cluster): the names in order (a sorted set read by
 * lexical range), the words (`word \0 sortKey`, for short terms) and one set per trigram (for
 * longer ones), and the entry of each client (its revision, sort key and text). Each tenant's
 * change is one Lua script that checks the entry it read is still there (compare-and-swap), so
 * parallel writes of one client never leave its words half old, half new.
 *
 * Every account write is marked before it lands and unmarked once the index has it; a process
 * that dies in between leaves the mark, and the next repair (at start, and every few minutes)
 * re-indexes that account from its record. Searches check every hit against the
 * record, so an entry left behind is skipped, never shown.
 */
import type { Account } from '../domain.js';
import { AppError } from '../errors.js';
import { keySegment } from './atomic-kv.js';
import type { DirectoryHits, DirectoryIndex } from './directory-index.js';
import {
  isEmptyQuery,
  matchesTerms,
  searchTextOf,
  sortKeyOf,
  trigramsOf,
  wordsOf,
  type SearchTerms,
} from './directory-text.js';
import type { RedisKv } from './redis-kv.js';

/** The index entry of one client in one tenant. */
interface Entry {
  rev: number;
  key: string;
  text: string;
}

/** Which tenants hold an entry of the client, as of which revision. */
interface Membership {
  rev: number;
  tenants: string[];
}

/** Lost compare-and-swap races before giving up; each round someone else wrote. */
const MAX_ATTEMPTS = 50;

/**
 * KEYS: entries hash, names zset, words zset, then `nOld` trigram sets to leave, then the trigram
 * sets to join. ARGV: id, the entry as read ('' for none), the new entry ('' to remove), old sort
 * key, new sort key, nOld, then old words joined by \n, new words joined by \n. Returns 0 when the
 * entry changed since it was read (nothing written), 1 when it wrote.
 */
const APPLY = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current or '') ~= ARGV[2] then return 0 end
local oldKey, newKey, nOld = ARGV[4], ARGV[5], tonumber(ARGV[6])
local function split(s)
  local out = {}
  for part in string.gmatch(s, '[^\\n]+') do out[#out + 1] = part end
  return out
end
if oldKey ~= '' then
  redis.call('ZREM', KEYS[2], oldKey)
  for _, word in ipairs(split(ARGV[7])) do redis.call('ZREM', KEYS[3], word .. '\\0' .. oldKey) end
  for i = 4, 3 + nOld do redis.call('SREM', KEYS[i], oldKey) end
end
if newKey ~= '' then
  redis.call('ZADD', KEYS[2], 0, newKey)
  for _, word in ipairs(split(ARGV[8])) do redis.call('ZADD', KEYS[3], 0, word .. '\\0' .. newKey) end
  for i = 4 + nOld, #KEYS do redis.call('SADD', KEYS[i], newKey) end
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
return 1`;

/** Takes `ARGV[2]` off the client's mark; gone at zero. */
const UNMARK = `
local left = redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
if left <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return left`;

export class RedisDirectory implements DirectoryIndex {
  constructor(private readonly redis: RedisKv) {}

  private tenantKey(tenantId: string, part: string): string {
    // The braces make the tenant's keys one hash slot on a cluster.
    return `${this.redis.base}:dir:{${keySegment(tenantId)}}:${part}`;
  }

  private membershipKey(id: string): string {
    return `${this.redis.base}:dir-member:${keySegment(id)}`;
  }

  private get dirtyKey(): string {
    return `${this.redis.base}:dir-dirty`;
  }

  async mark(id: string): Promise<void> {
    await this.redis.ready();
    // Counted, not flagged: parallel writes of one client each clear only their own mark.
    await this.redis.client.hincrby(this.dirtyKey, id, 1);
  }

  async put(id: string, account: Account | null): Promise<void> {
    await this.apply(id, account);
    await this.unmark(id, 1);
  }

  async repair(load: (id: string) => Promise<Account | null>): Promise<void> {
    await this.redis.ready();
    const marked = await this.redis.client.hgetall(this.dirtyKey);
    for (const [id, count] of Object.entries(marked)) {
      await this.apply(id, await load(id));
      await this.unmark(id, Number(count));
    }
  }

  private async unmark(id: string, count: number): Promise<void> {
    await this.redis.client.eval(UNMARK, 1, this.dirtyKey, id, String(count));
  }

  /** Brings every tenant the client was or is in up to this record (an older record changes nothing). */
  private async apply(id: string, account: Account | null): Promise<void> {
    const client = this.redis.client;
    await this.redis.ready();
    const known = parseJson<Membership>(await client.get(this.membershipKey(id)));
    if (known && account && known.rev > account.revision) return;
    const tenants = new Set([...(known?.tenants ?? []), ...(account?.tenants ?? [])]);
    for (const tenantId of tenants) {
      await this.applyInTenant(tenantId, id, account && account.tenants.includes(tenantId) ? account : null);
    }
    if (account) {
      await client.set(
        this.membershipKey(id),
        JSON.stringify({ rev: account.revision, tenants: account.tenants }),
      );
    } else {
      await client.del(this.membershipKey(id));
    }
  }

  private async applyInTenant(tenantId: string, id: string, account: Account | null): Promise<void> {
    const client = this.redis.client;
    const entries = this.tenantKey(tenantId, 'entries');
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const raw = (await client.hget(entries, id)) ?? '';
      const old = parseJson<Entry>(raw);
      if (old && account && old.rev > account.revision) return;
      const next: Entry | null = account
        ? { rev: account.revision, key: sortKeyOf(account), text: searchTextOf(account) }
        : null;
      if (!old && !next) return;
      const oldTrigrams = old ? trigramsOf(old.text) : [];
      const newTrigrams = next ? trigramsOf(next.text) : [];
      const wrote = await client.eval(
        APPLY,
        3 + oldTrigrams.length + newTrigrams.length,
        entries,
        this.tenantKey(tenantId, 'names'),
        this.tenantKey(tenantId, 'words'),
        ...oldTrigrams.map((trigram) => this.trigramKey(tenantId, trigram)),
        ...newTrigrams.map((trigram) => this.trigramKey(tenantId, trigram)),
        id,
        raw,
        next ? JSON.stringify(next) : '',
        old?.key ?? '',
        next?.key ?? '',
        String(oldTrigrams.length),
        old ? wordsOf(old.text).join('\n') : '',
        next ? wordsOf(next.text).join('\n') : '',
      );
      if (wrote === 1) return;
    }
    throw new AppError('conflict');
  }

  private trigramKey(tenantId: string, trigram: string): string {
    return this.tenantKey(tenantId, `tri:${keySegment(trigram)}`);
  }

  async search(
    tenantId: string,
    terms: SearchTerms,
    after: string | null,
    limit: number,
  ): Promise<DirectoryHits> {
    await this.redis.ready();
    if (isEmptyQuery(terms)) {
      const keys = await this.redis.client.zrangebylex(
        this.tenantKey(tenantId, 'names'),
        after === null ? '-' : `(${after}`,
        '+',
        'LIMIT',
        0,
        limit + 1,
      );
      return { keys: keys.slice(0, limit), more: keys.length > limit };
    }
    // Candidates are sorted here and checked a few pages at a time: a common term at 100k clients
    // has thousands, and reading and parsing every entry cost more than the rest of a search.
    const candidates = (await this.sortedCandidates(tenantId, terms)).filter(
      (key) => after === null || key > after,
    );
    const found: string[] = [];
    let chunk = (limit + 1) * 2;
    for (let start = 0; start < candidates.length && found.length <= limit; start += chunk, chunk *= 2) {
      found.push(...(await this.verified(tenantId, terms, candidates.slice(start, start + chunk))));
    }
    return { keys: found.slice(0, limit), more: found.length > limit };
  }

  async count(tenantId: string, terms: SearchTerms): Promise<number> {
    await this.redis.ready();
    if (isEmptyQuery(terms)) return this.redis.client.zcard(this.tenantKey(tenantId, 'names'));
    return (await this.verified(tenantId, terms, await this.sortedCandidates(tenantId, terms))).length;
  }

  /** The most selective term's candidates, once each, in order. */
  private async sortedCandidates(tenantId: string, terms: SearchTerms): Promise<string[]> {
    return [...new Set(await this.candidates(tenantId, terms))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The candidates whose entry is current and matches every term, in the order given. */
  private async verified(tenantId: string, terms: SearchTerms, candidates: string[]): Promise<string[]> {
    if (candidates.length === 0) return [];
    const ids = candidates.map((key) => key.slice(key.indexOf('\u0000') + 1));
    const raw = await this.redis.client.hmget(this.tenantKey(tenantId, 'entries'), ...ids);
    return candidates.filter((key, i) => {
      const entry = parseJson<Entry>(raw[i]);
      return entry !== null && entry.key === key && matchesTerms(entry.text, terms);
    });
  }

  private async candidates(tenantId: string, terms: SearchTerms): Promise<string[]> {
    const client = this.redis.client;
    const trigrams = [...new Set(terms.substrings.flatMap((term) => trigramsOf(term)))];
    if (trigrams.length > 0) {
      const keys = trigrams.map((trigram) => this.trigramKey(tenantId, trigram));
      const sizes = await Promise.all(keys.map((key) => client.scard(key)));
      const rarest = keys[sizes.indexOf(Math.min(...sizes))];
      return client.smembers(rarest);
    }
    const prefix = terms.prefixes[0];
    // 0xff sorts after every byte a UTF-8 word can continue with.
    const words = await client.zrangebylexBuffer(
      this.tenantKey(tenantId, 'words'),
      Buffer.from(`[${prefix}`),
      Buffer.concat([Buffer.from(`[${prefix}`), Buffer.from([0xff])]),
    );
    return words.map((word) => {
      const text = word.toString('utf8');
      return text.slice(text.indexOf('\u0000') + 1);
    });
  }
}

function parseJson<T>(raw: string | null | undefined): T | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
