/**
 * Links, member sessions and force-change challenges as JWTs. Every verification pins the
 * algorithm, the issuer, an audience and a `typ` per purpose, and requires `exp`, `iat`, `jti` and
 * `sub`, so a token made for one purpose is refused everywhere else.
 */
import { errors, jwtVerify, SignJWT, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { Clock } from '../clock.js';
import { newId } from './random.js';
import type { KeyRing } from './keys.js';
import { SIGNING_ALGORITHM } from './params.js';

/**
 * `device`: given to a browser after a right password, so that its later logins to the same
 * account are throttled per device and never refused by the account-wide bound (OWASP's device
 * cookies).
 */
export type TokenPurpose = 'reset' | 'invite' | 'verify-email' | 'session' | 'challenge' | 'device';

export interface TokenClaims extends JWTPayload {
  sub: string;
  jti: string;
  exp: number;
  iat: number;
  /** Tenant: the one logged into (sessions) or whose staff/member flow made the link. */
  tid?: string;
  /** Session version (sessions) or credential stamp (challenges): raising it on the account kills the token. */
  ver?: number;
}

export interface SignedToken {
  token: string;
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

/** Why a token was refused; the flows map these to the API's error codes. */
export type TokenFailure = 'invalid' | 'expired';

export class TokenError extends Error {
  constructor(
    readonly failure: TokenFailure,
    /** Authentic claims of an expired token (signature and every other claim checked). */
    readonly expiredClaims?: TokenClaims,
  ) {
    super(`token ${failure}`);
    this.name = 'TokenError';
  }
}

/** Headers that would let a token name its own key; never honoured, always refused. */
const FORBIDDEN_HEADERS = ['jku', 'jwk', 'x5u', 'x5c', 'crit'] as const;

const typFor = (purpose: TokenPurpose) => (purpose === 'session' ? 'at+jwt' : `${purpose}+jwt`);

export interface TokenServiceOptions {
  issuer: string;
  /** Audience of member sessions, for integrators who verify them through the JWKS. */
  sessionAudience: string;
}

export class TokenService {
  constructor(
    private readonly keys: KeyRing,
    private readonly clock: Clock,
    private readonly options: TokenServiceOptions,
  ) {}

  private audience(purpose: TokenPurpose): string {
    return purpose === 'session' ? this.options.sessionAudience : `${this.options.issuer}#${purpose}`;
  }

  async sign(
    purpose: TokenPurpose,
    claims: { sub: string; tid?: string; ver?: number },
    lifetimeMs: number,
  ): Promise<SignedToken> {
    const issuedAt = this.clock.now();
    const expiresAt = issuedAt + lifetimeMs;
    const jti = newId();
    const payload: JWTPayload = { ver: claims.ver, tid: claims.tid, pur: purpose };
    const token = await new SignJWT(JSON.parse(JSON.stringify(payload)) as JWTPayload)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.keys.currentKid, typ: typFor(purpose) })
      .setIssuer(this.options.issuer)
      .setAudience(this.audience(purpose))
      .setSubject(claims.sub)
      .setJti(jti)
      .setIssuedAt(Math.floor(issuedAt / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.keys.signingKey());
    return { token, jti, issuedAt, expiresAt };
  }

  /**
   * Verifies a token for one purpose. Throws TokenError('expired') with the authentic claims when
   * only the expiry failed (a dead link can still explain itself and be renewed), else 'invalid'.
   */
  async verify(token: string, purpose: TokenPurpose): Promise<TokenClaims> {
    const now = this.clock.now();
    try {
      const { payload } = await jwtVerify(
        token,
        async (header: JWTHeaderParameters) => {
          if (FORBIDDEN_HEADERS.some((name) => name in header)) throw new TokenError('invalid');
          if (!header.kid) throw new TokenError('invalid');
          let key = this.keys.verificationKey(header.kid, now);
          // A key another server rotated in since this one loaded its keys.
          if (!key && this.keys.refresh) {
            await this.keys.refresh(now);
            key = this.keys.verificationKey(header.kid, now);
          }
          if (!key) throw new TokenError('invalid');
          return key;
        },
        {
          algorithms: [SIGNING_ALGORITHM],
          issuer: this.options.issuer,
          audience: this.audience(purpose),
          typ: typFor(purpose),
          requiredClaims: ['exp', 'iat', 'jti', 'sub'],
          currentDate: new Date(now),
        },
      );
      if (payload.pur !== purpose) throw new TokenError('invalid');
      return payload as TokenClaims;
    } catch (error) {
      if (error instanceof TokenError) throw error;
      if (error instanceof errors.JWTExpired && error.claim === 'exp' && error.payload.pur === purpose) {
        throw new TokenError('expired', error.payload as TokenClaims);
      }
      throw new TokenError('invalid');
    }
  }
}
