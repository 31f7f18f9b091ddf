/**
 * Export and import over the key-value store: accounts go through the store (so their email and
 * username index and the directory are rebuilt on the way in), every other record is copied
 * under its key with its expiry. The keys are the same on every backend.
 */
import type { Account } from '../domain.js';
import { AppError, isAppError } from '../errors.js';
import type { AtomicKv } from './atomic-kv.js';
import { guard } from './guard.js';
import { keys, MOVED_PREFIXES } from './kv-keys.js';
import type { ImportOutcome, Store, StoreRecord } from './store.js';

/** Records read at once. */
const EXPORT_BATCH = 500;

/**
 * Only counters and finished webhook deliveries expire; asking every other record for its expiry
 * would cost a round trip each.
 */
const EXPIRING_PREFIXES: ReadonlySet<string> = new Set([keys.windowPrefix, keys.attemptsPrefix]);
const SOMETIMES_EXPIRING: ReadonlySet<string> = new Set([keys.webhookPrefix]);

export async function* exportKv(kv: AtomicKv): AsyncGenerator<StoreRecord> {
  for (const prefix of [keys.accountPrefix, ...MOVED_PREFIXES]) {
    const all = await guard(() => kv.keys(prefix));
    for (let start = 0; start < all.length; start += EXPORT_BATCH) {
      const batch = all.slice(start, start + EXPORT_BATCH);
      const values = await guard(() => kv.getMany<unknown>(batch));
      for (const [i, key] of batch.entries()) {
        const value = values[i];
        // Removed (or expired) since the listing.
        if (value === null) continue;
        if (prefix === keys.accountPrefix) {
          yield { kind: 'account', account: value as Account };
        } else {
          const expires = EXPIRING_PREFIXES.has(prefix) || SOMETIMES_EXPIRING.has(prefix);
          const expiresAt = expires ? await guard(() => kv.expiresAt(key)) : null;
          // A counter always expires: none left means it went since it was read, and carried
          // without its expiry it would stay for good.
          if (EXPIRING_PREFIXES.has(prefix) && expiresAt === null) continue;
          yield { kind: 'record', key, value, expiresAt };
        }
      }
    }
  }
}

export async function importKvRecord(
  kv: AtomicKv,
  store: Store,
  record: StoreRecord,
): Promise<ImportOutcome> {
  if (record.kind === 'account') return importAccount(store, record.account);
  const prefix = record.key.split(':', 1)[0];
  if (!(MOVED_PREFIXES as readonly string[]).includes(prefix)) {
    throw new AppError('invalid_request', { message: `Records under "${prefix}" are not imported.` });
  }
  if (record.expiresAt === null) {
    await guard(() => kv.set(record.key, record.value));
    return 'added';
  }
  const ttlMs = record.expiresAt - Date.now();
  if (ttlMs <= 0) return 'expired';
  await guard(() => kv.update(record.key, () => ({ value: record.value, ttlMs, result: undefined })));
  return 'added';
}

/** The exported account replaces one with its id; another account holding its email or username refuses it. */
async function importAccount(store: Store, account: Account): Promise<ImportOutcome> {
  try {
    await store.createAccount(account);
    return 'added';
  } catch (error) {
    if (!isAppError(error) || error.code !== 'id_in_use') throw error;
  }
  await store.updateAccount(account.id, () => account);
  return 'replaced';
}
