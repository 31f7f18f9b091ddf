/**
 * `client-reset keys rotate`: a new signing key for the configured store (after a suspected leak,
 * or on a schedule). Tokens signed by the older keys keep verifying until they expire; servers
 * sign with the new key once restarted. Prints key ids only, never a key.
 */
import type { Config } from '../config.js';
import { hasSigningKeys, rotateSigningKeys } from '../crypto/keys.js';
import { createStore } from '../store/create-store.js';
import { UsageError } from './api-commands.js';

export async function runRotateKeys(config: Config, out: NodeJS.WritableStream): Promise<number> {
  if (config.signingKey) {
    throw new UsageError(
      'SIGNING_KEY is set: the servers sign with that key. Rotate it where it is kept, then restart them.',
    );
  }
  if (config.storage === 'memory') {
    throw new UsageError('STORAGE=memory lives inside one server process: restart it for a new key.');
  }
  const store = createStore(config);
  try {
    if (!(await hasSigningKeys(store))) {
      throw new UsageError(
        `No signing keys in this store (${store.backend}): no server has started on it. Check STORAGE, DATA_DIR, REDIS_URL or DATABASE_URL.`,
      );
    }
    const ring = await rotateSigningKeys(store, Date.now());
    const verifying = ring.jwks(Date.now()).keys.length - 1;
    out.write(
      `New signing key ${ring.currentKid}. ${verifying} older key(s) keep verifying tokens until they expire. ` +
        "Servers sign with it once restarted (restart them one by one: each accepts the others' tokens).\n",
    );
    return 0;
  } finally {
    await store.close();
  }
}
