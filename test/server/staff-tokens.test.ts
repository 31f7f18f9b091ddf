import { createServer, type Server } from 'node:http';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { createStaffVerifier } from '../../server/crypto/staff-tokens.js';

const clock = new ManualClock();
const claims = { tid: 'studio-a', role: 'admin' };

async function sign(
  key: CryptoKey | Uint8Array,
  alg: string,
  extra: Record<string, unknown> = {},
  kid?: string,
) {
  const now = Math.floor(clock.now() / 1000);
  return new SignJWT({ ...claims, ...extra })
    .setProtectedHeader({ alg, ...(kid ? { kid } : {}) })
    .setSubject('staff-9')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key);
}

describe('staff tokens verified with a public key', () => {
  let es256: CryptoKeyPair;
  let pem: string;

  beforeAll(async () => {
    es256 = await generateKeyPair('ES256', { extractable: true });
    pem = await exportSPKI(es256.publicKey);
  });

  it('accepts a token signed by the integrator’s private key (PEM and JWK configuration)', async () => {
    const token = await sign(es256.privateKey, 'ES256');
    const fromPem = await createStaffVerifier({ publicKey: pem, algorithms: ['ES256'] }, clock);
    expect(await fromPem(token)).toEqual({ id: 'staff-9', tenantId: 'studio-a', role: 'admin' });
    const jwk = JSON.stringify({ ...(await exportJWK(es256.publicKey)), alg: 'ES256' });
    const fromJwk = await createStaffVerifier({ publicKey: jwk }, clock);
    expect(await fromJwk(token)).toMatchObject({ tenantId: 'studio-a' });
  });

  it('refuses an HS256 token whose secret is the public key text, another key, alg none, and missing claims', async () => {
    const verify = await createStaffVerifier({ publicKey: pem, algorithms: ['ES256'] }, clock);
    expect(await verify(await sign(new TextEncoder().encode(pem), 'HS256'))).toBeNull();
    const other = await generateKeyPair('ES256');
    expect(await verify(await sign(other.privateKey, 'ES256'))).toBeNull();
    const [header, body] = (await sign(es256.privateKey, 'ES256')).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${body}.`;
    expect(header).toBeTruthy();
    expect(await verify(none)).toBeNull();
    expect(await verify(await sign(es256.privateKey, 'ES256', { tid: undefined }))).toBeNull();
    expect(await verify(await sign(es256.privateKey, 'ES256', { role: 'owner' }))).toBeNull();
  });

  it('refuses expired tokens by the injected clock', async () => {
    const verify = await createStaffVerifier({ publicKey: pem, algorithms: ['ES256'] }, clock);
    const token = await sign(es256.privateKey, 'ES256');
    clock.advance(601_000);
    expect(await verify(token)).toBeNull();
    clock.advance(-601_000);
  });

  it('refuses every token when no staff key is configured', async () => {
    const verify = await createStaffVerifier({}, clock);
    expect(await verify(await sign(new TextEncoder().encode('anything'), 'HS256'))).toBeNull();
  });
});

describe('staff tokens verified with the integrator’s JWKS', () => {
  let server: Server;
  let url: string;
  let pair: CryptoKeyPair;

  beforeAll(async () => {
    pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' }] };
    server = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('finds the key by kid and refuses an unknown kid', async () => {
    const verify = await createStaffVerifier({ jwksUrl: url, algorithms: ['EdDSA'] }, clock);
    expect(await verify(await sign(pair.privateKey, 'EdDSA', {}, 'k1'))).toMatchObject({ id: 'staff-9' });
    expect(await verify(await sign(pair.privateKey, 'EdDSA', {}, 'unknown'))).toBeNull();
  });
});
