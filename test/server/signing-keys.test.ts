import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, ManualClock } from '../../server/clock.js';
import { loadKeyRing, rotateSigningKeys } from '../../server/crypto/keys.js';
import { TokenError, TokenService } from '../../server/crypto/tokens.js';
import { createStore } from '../../server/store/create-store.js';
import { createTestApp } from '../helpers/app.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('signing keys', () => {
  it('are generated on first start, kept in the store, and reused after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keys-'));
    dirs.push(dir);
    const first = createStore({ storage: 'fs', dataDir: dir });
    const ring1 = await loadKeyRing(first, Date.now());
    await first.close();
    const second = createStore({ storage: 'fs', dataDir: dir });
    const ring2 = await loadKeyRing(second, Date.now());
    await second.close();
    expect(ring2.currentKid).toBe(ring1.currentKid);
    expect(ring2.jwks(Date.now()).keys).toHaveLength(1);
  });

  it('two processes starting together on one store agree on one key', async () => {
    const store = createStore({ storage: 'memory' });
    const [a, b] = await Promise.all([loadKeyRing(store, 0), loadKeyRing(store, 0)]);
    expect(a.currentKid).toBe(b.currentKid);
  });

  it('a configured SIGNING_KEY is used and published instead of a generated one', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'configured-1' };
    const t = await createTestApp({ env: { SIGNING_KEY: JSON.stringify(jwk) } });
    const res = await t.get('/.well-known/jwks.json');
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toEqual([
      expect.objectContaining({ kid: 'configured-1', kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' }),
    ]);
    expect(body.keys[0]).not.toHaveProperty('d');
    await t.close();
  });

  it('publishes public keys only, each with a kid', async () => {
    const t = await createTestApp();
    const body = (await (await t.get('/.well-known/jwks.json')).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(body.keys.length).toBe(1);
    expect(body.keys[0].kid).toEqual(expect.any(String));
    expect(body.keys[0]).not.toHaveProperty('d');
    await t.close();
  });

  it('after rotation, tokens of the retired key verify until they expire, then not; new tokens use the new key', async () => {
    const clock = new ManualClock();
    const store = createStore({ storage: 'memory' });
    const ring = await loadKeyRing(store, clock.now());
    const options = { issuer: 'https://portal.example.test', sessionAudience: 'https://portal.example.test' };
    const oldTokens = new TokenService(ring, clock, options);
    const signed = await oldTokens.sign('reset', { sub: 'client-1' }, DAY);

    const rotated = await rotateSigningKeys(store, clock.now());
    expect(rotated.currentKid).not.toBe(ring.currentKid);
    const newTokens = new TokenService(rotated, clock, options);
    expect((await newTokens.verify(signed.token, 'reset')).sub).toBe('client-1');
    expect(rotated.jwks(clock.now()).keys.map((key) => key.kid)).toEqual([
      rotated.currentKid,
      ring.currentKid,
    ]);
    const fresh = await newTokens.sign('reset', { sub: 'client-2' }, DAY);
    expect(JSON.parse(Buffer.from(fresh.token.split('.')[0], 'base64url').toString()).kid).toBe(
      rotated.currentKid,
    );

    clock.advance(DAY + 1000);
    await expect(newTokens.verify(signed.token, 'reset')).rejects.toMatchObject({ failure: 'expired' });
    await expect(newTokens.verify('not-a-token', 'reset')).rejects.toBeInstanceOf(TokenError);
  });

  it("servers restarted one by one after a rotation accept each other's tokens, then all sign with the new key", async () => {
    const clock = new ManualClock();
    const store = createStore({ storage: 'memory' });
    const options = { issuer: 'https://portal.example.test', sessionAudience: 'https://portal.example.test' };
    // Server B started before the rotation and has not restarted yet.
    const ringB = await loadKeyRing(store, clock.now());
    const serverB = new TokenService(ringB, clock, options);
    const before = ringB.currentKid;
    clock.advance(60_000);
    await rotateSigningKeys(store, clock.now());
    // Server A restarted: it signs with the new key.
    const serverA = new TokenService(await loadKeyRing(store, clock.now()), clock, options);
    const session = await serverA.sign('session', { sub: 'client-1' }, DAY);

    expect((await serverB.verify(session.token, 'session')).sub).toBe('client-1');
    expect(ringB.currentKid).not.toBe(before);
    expect(ringB.jwks(clock.now()).keys.map((key) => key.kid)).toEqual([ringB.currentKid, before]);
    // A made-up key id does not make B read the store at every request: once per 10 s at most.
    let reads = 0;
    const counting = {
      ...store,
      getSetting: (name: string) => (reads++, store.getSetting(name)),
    } as typeof store;
    const ringC = await loadKeyRing(counting, clock.now());
    const serverC = new TokenService(ringC, clock, options);
    reads = 0;
    const forged = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'made-up', typ: 'JWT' })).toString('base64url')}.e30.AA`;
    clock.advance(11_000);
    for (let i = 0; i < 5; i++)
      await expect(serverC.verify(forged, 'session')).rejects.toBeInstanceOf(TokenError);
    expect(reads).toBe(1);
  });
});
