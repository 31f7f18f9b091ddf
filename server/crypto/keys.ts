/**
 * The server's signing keys: generated on first start and kept in the store (so every process
 * sharing the store signs with the same key), or given by configuration. Published in the JWKS.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Store } from '../store/store.js';
import { lifetimes, SIGNING_ALGORITHM } from './params.js';

export interface StoredSigningKey {
  kid: string;
  alg: typeof SIGNING_ALGORITHM;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: number;
  /** Set when a newer key took over; the key keeps verifying until what it signed has expired. */
  retiredAt?: number;
}

export interface KeyRing {
  readonly currentKid: string;
  signingKey(): CryptoKey;
  /** The key for a token's `kid`, or null (unknown, or retired past its grace). */
  verificationKey(kid: string, now: number): CryptoKey | null;
  jwks(now: number): { keys: JWK[] };
  /**
   * Reads the stored keys again (at most every 10 s), for a key another process rotated in: a
   * server meeting a token signed by a key it does not know looks once more before refusing it,
   * and then signs with the newest key too. Absent for a configured key.
   */
  refresh?(now: number): Promise<void>;
}

const SETTING = 'signing-keys';
const RELOAD_INTERVAL_MS = 10_000;

export async function newSigningKey(now: number): Promise<StoredSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM, {
    crv: 'Ed25519',
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg: SIGNING_ALGORITHM,
    privateJwk: await exportJWK(privateKey),
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    createdAt: now,
  };
}

/** A private Ed25519 JWK given by configuration (`SIGNING_KEY`), as stored form. */
export async function signingKeyFromJwk(privateJwk: JWK, now: number): Promise<StoredSigningKey> {
  if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || !privateJwk.d) {
    throw new Error('SIGNING_KEY must be a private Ed25519 JWK (kty OKP, crv Ed25519, with d).');
  }
  const { d: _private, ...publicPart } = privateJwk;
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicPart));
  return {
    kid,
    alg: SIGNING_ALGORITHM,
    privateJwk,
    publicJwk: {
      kty: publicPart.kty,
      crv: publicPart.crv,
      x: publicPart.x,
      kid,
      alg: SIGNING_ALGORITHM,
      use: 'sig',
    },
    createdAt: now,
  };
}

async function buildKeyRing(stored: StoredSigningKey[]): Promise<KeyRing> {
  const current = stored.find((key) => key.retiredAt === undefined) ?? stored[stored.length - 1];
  const privateKey = (await importJWK(current.privateJwk, SIGNING_ALGORITHM)) as CryptoKey;
  const publicKeys = new Map<string, { key: CryptoKey; record: StoredSigningKey }>();
  for (const record of stored) {
    publicKeys.set(record.kid, {
      key: (await importJWK(record.publicJwk, SIGNING_ALGORITHM)) as CryptoKey,
      record,
    });
  }
  const usable = (record: StoredSigningKey, now: number) =>
    record.retiredAt === undefined || now < record.retiredAt + lifetimes.retiredKeyGrace;
  return {
    currentKid: current.kid,
    signingKey: () => privateKey,
    verificationKey(kid, now) {
      const entry = publicKeys.get(kid);
      return entry && usable(entry.record, now) ? entry.key : null;
    },
    jwks(now) {
      return { keys: stored.filter((record) => usable(record, now)).map((record) => record.publicJwk) };
    },
  };
}

/** A ring over the store's keys that can read them again (`refresh`). */
function liveKeyRing(store: Store, initial: KeyRing, loadedAt: number): KeyRing {
  let ring = initial;
  let lastLoad = loadedAt;
  let loading: Promise<void> | null = null;
  return {
    get currentKid() {
      return ring.currentKid;
    },
    signingKey: () => ring.signingKey(),
    verificationKey: (kid, now) => ring.verificationKey(kid, now),
    jwks: (now) => ring.jwks(now),
    refresh(now) {
      if (loading) return loading;
      if (now - lastLoad < RELOAD_INTERVAL_MS) return Promise.resolve();
      lastLoad = now;
      loading = store
        .getSetting<StoredSigningKey[]>(SETTING)
        .then(async (stored) => {
          if (stored && stored.length > 0) ring = await buildKeyRing(stored);
        })
        // The store being down is no reason to refuse what the current ring accepts.
        .catch(() => undefined)
        .finally(() => (loading = null));
      return loading;
    },
  };
}

/** Loads the key ring, generating and keeping a key on first start (or using the configured one). */
export async function loadKeyRing(store: Store, now: number, configured?: JWK): Promise<KeyRing> {
  if (configured) return buildKeyRing([await signingKeyFromJwk(configured, now)]);
  const existing = await store.getSetting<StoredSigningKey[]>(SETTING);
  // Two processes starting together on one store agree on whichever key was written first.
  const stored =
    existing && existing.length > 0
      ? existing
      : await store.setSettingIfAbsent<StoredSigningKey[]>(SETTING, [await newSigningKey(now)]);
  return liveKeyRing(store, await buildKeyRing(stored), now);
}

/** Whether the store holds signing keys (a server has started on it). */
export async function hasSigningKeys(store: Store): Promise<boolean> {
  return ((await store.getSetting<StoredSigningKey[]>(SETTING)) ?? []).length > 0;
}

/**
 * Makes a new current key and retires the others; tokens they signed keep verifying until they
 * expire. A process picks up the new key when it restarts, or when it meets a token the new key
 * signed (`KeyRing.refresh`), so servers restarted one by one all accept each other's tokens.
 */
export async function rotateSigningKeys(store: Store, now: number): Promise<KeyRing> {
  const existing = (await store.getSetting<StoredSigningKey[]>(SETTING)) ?? [];
  const retired = existing.map((key) => ({ ...key, retiredAt: key.retiredAt ?? now }));
  const next = [await newSigningKey(now), ...retired];
  await store.putSetting(SETTING, next);
  return buildKeyRing(next);
}
