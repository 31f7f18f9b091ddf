/**
 * Verifies the staff tokens an integrator's backend signs: with a shared HS256 secret, a public
 * key, or the integrator's JWKS. Algorithms are pinned per key type, so a token signed with the
 * public key's bytes as an HMAC secret is refused.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import {
  createRemoteJWKSet,
  importJWK,
  importSPKI,
  jwtVerify,
  type JWK,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { Clock } from '../clock.js';

export type StaffRole = 'admin' | 'staff';

export interface StaffPrincipal {
  id: string;
  tenantId: string;
  role: StaffRole;
}

export interface StaffTokenConfig {
  secret?: string;
  /** PEM (SPKI) or JWK JSON. */
  publicKey?: string;
  jwksUrl?: string;
  /** Algorithms accepted with a public key or JWKS. */
  algorithms?: string[];
  issuer?: string;
  audience?: string;
}

export type StaffVerifier = (token: string) => Promise<StaffPrincipal | null>;

const ASYMMETRIC_DEFAULT = ['RS256', 'ES256', 'EdDSA'];

interface ResolvedKey {
  key: CryptoKey | KeyObject | JWTVerifyGetKey;
  algorithms: string[];
}

async function keyFor(config: StaffTokenConfig): Promise<ResolvedKey | null> {
  if (config.secret)
    return { key: createSecretKey(Buffer.from(config.secret, 'utf8')), algorithms: ['HS256'] };
  const algorithms = config.algorithms?.length ? config.algorithms : ASYMMETRIC_DEFAULT;
  if (config.publicKey) {
    const text = config.publicKey.trim();
    const jwk = text.startsWith('{') ? (JSON.parse(text) as JWK) : null;
    // One key may serve several listed algorithms (an RSA key: RS256 and PS256); keep each that
    // imports, and let the token's `alg` pick among those only.
    const byAlg = new Map<string, CryptoKey>();
    for (const alg of jwk?.alg ? [jwk.alg] : algorithms) {
      try {
        byAlg.set(alg, (jwk ? await importJWK(jwk, alg) : await importSPKI(text, alg)) as CryptoKey);
      } catch {
        // not a key for this algorithm
      }
    }
    if (byAlg.size === 0)
      throw new Error(`ADMIN_PUBLIC_KEY fits none of the algorithms ${algorithms.join(', ')}.`);
    const pick: JWTVerifyGetKey = (header) => {
      const key = byAlg.get(header.alg);
      if (!key) throw new Error('algorithm not allowed');
      return key;
    };
    return { key: pick, algorithms: [...byAlg.keys()] };
  }
  if (config.jwksUrl) return { key: createRemoteJWKSet(new URL(config.jwksUrl)), algorithms };
  return null;
}

/** Null when no staff key is configured: every staff call is then refused. */
export async function createStaffVerifier(config: StaffTokenConfig, clock: Clock): Promise<StaffVerifier> {
  const resolved = await keyFor(config);
  return async (token) => {
    if (!resolved) return null;
    const options: JWTVerifyOptions = {
      algorithms: resolved.algorithms,
      requiredClaims: ['exp', 'sub', 'tid', 'role'],
      currentDate: new Date(clock.now()),
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.audience ? { audience: config.audience } : {}),
    };
    try {
      // Two calls because jose's overloads tell a key from a key-resolving function.
      const { payload } =
        typeof resolved.key === 'function'
          ? await jwtVerify(token, resolved.key, options)
          : await jwtVerify(token, resolved.key, options);
      const { sub, tid, role } = payload;
      if (typeof sub !== 'string' || !sub || typeof tid !== 'string' || !tid) return null;
      if (role !== 'admin' && role !== 'staff') return null;
      return { id: sub, tenantId: tid, role };
    } catch {
      return null;
    }
  };
}
