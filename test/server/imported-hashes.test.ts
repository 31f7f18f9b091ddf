/**
 * Password hashes from an integrator's old system: each format verifies its reference vectors,
 * provisioning takes them, the member logs in with the old password on day one and is re-hashed
 * to argon2id, and the hash never comes back out.
 */
import { hash as hashArgon2 } from '@node-rs/argon2';
import bcryptjs from 'bcryptjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../server/crypto/passwords.js';
import type { FloorRecord } from '../../server/crypto/timing-floor.js';
import {
  firebaseScryptHash,
  importedHashFormat,
  verifyImportedHash,
} from '../../server/crypto/imported-hashes.js';
import { createTestApp, PROVISION_KEY, TENANT, type TestApp } from '../helpers/app.js';
import { expectError, json, login } from './api-staff-helpers.js';

const PASSWORD = 'correct horse battery staple';
/** bcrypt at cost 10, the most common in the wild: ≈75 ms a check here, six times our argon2id. */
const bcryptHash10 = bcryptjs.hashSync(PASSWORD, 10);

/**
 * bcrypt: the test vectors of Openwall's crypt_blowfish (the reference implementation); the
 * others were made from PASSWORD by Python's hashlib (OpenSSL's scrypt and PBKDF2) and written
 * in each format's own encoding.
 */
const VECTORS: Array<{ format: string; hash: string; password: string }> = [
  { format: 'bcrypt', hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', password: 'U*U' },
  { format: 'bcrypt', hash: '$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', password: 'U*U' },
  { format: 'bcrypt', hash: '$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW', password: 'U*U' },
  {
    format: 'bcrypt',
    hash: '$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK',
    password: 'U*U*',
  },
  {
    format: 'scrypt',
    hash: '$scrypt$ln=14,r=8,p=1$TmFDbC1zYWx0LTE2Ynl0ZQ$SDMGdoXkrP4pzJUtGuoO+WqhHUfF9zHjXB8p08V3W7k',
    password: PASSWORD,
  },
  {
    format: 'pbkdf2',
    hash: '$pbkdf2-sha256$i=29000,l=32$cGVwcGVyLWFuZC1zYWx0IQ$4SL2eJs+x2jULZ8vMluoq5ciuIocfOxjw7ZDGjkDUFc',
    password: PASSWORD,
  },
  {
    format: 'pbkdf2',
    hash: '$pbkdf2-sha256$29000$cGVwcGVyLWFuZC1zYWx0IQ$4SL2eJs.x2jULZ8vMluoq5ciuIocfOxjw7ZDGjkDUFc',
    password: PASSWORD,
  },
  {
    format: 'pbkdf2',
    hash: '$pbkdf2-sha512$25000$cGVwcGVyLWFuZC1zYWx0IQ$VxbgKt/hpA6gQGK25Iecx6t6SzHUTWlUUEAyCejMnXy7L6/15HumGAS6luLkfmPt5zXSvGhsRieD6.InGfU5Nw',
    password: PASSWORD,
  },
  {
    format: 'django-pbkdf2',
    hash: 'pbkdf2_sha256$260000$seasalt12345678$5dlj2qBumHlTsBWgp1Rt8uDKKkz2+sgCkonJNawsojQ=',
    password: PASSWORD,
  },
];

/** The example of Firebase's own scrypt repository (github.com/firebase/scrypt, README). */
const FIREBASE = {
  params: {
    signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
    saltSeparator: 'Bw==',
    rounds: 8,
    memCost: 14,
  },
  salt: '42xEC+ixf3L2lw==',
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
  password: 'user1password',
};

describe('hashes from another system', () => {
  it("Firebase's modified scrypt verifies its published example and nothing else", async () => {
    const hash = firebaseScryptHash(FIREBASE.params, FIREBASE.hash, FIREBASE.salt);
    expect(importedHashFormat(hash)).toBe('firebase-scrypt');
    expect(await verifyImportedHash(hash, FIREBASE.password)).toBe(true);
    expect(await verifyImportedHash(hash, 'user2password')).toBe(false);
  });

  for (const { format, hash, password } of VECTORS) {
    it(`${hash.slice(0, 16)}… (${format}) verifies its password and nothing else`, async () => {
      expect(importedHashFormat(hash)).toBe(format);
      expect(await verifyImportedHash(hash, password)).toBe(true);
      expect(await verifyImportedHash(hash, `${password}!`)).toBe(false);
      expect(await verifyImportedHash(hash, '')).toBe(false);
    });
  }

  it('argon2i and argon2id of any parameters, of the password as typed (not normalised)', async () => {
    const typed = 'ﬁnal café'; // the ligature is what NFKC would change
    const argon2i = await hashArgon2(typed, { algorithm: 1, memoryCost: 4096, timeCost: 3, parallelism: 2 });
    expect(importedHashFormat(argon2i)).toBe('argon2');
    expect(await verifyImportedHash(argon2i, typed)).toBe(true);
    expect(await verifyImportedHash(argon2i, 'final café')).toBe(false);
  });

  it('refuses what it cannot read, and work no hash should ask for', () => {
    for (const hash of [
      'plaintext',
      '$2b$05$tooshort',
      '$1$saltsalt$abcdefghijklmnopqrstuv', // MD5-crypt
      '$scrypt$ln=40,r=8,p=1$c2FsdA$aGFzaA', // 2^40 iterations of memory
      '$pbkdf2-sha1$29000$c2FsdA$aGFzaA',
      '$pbkdf2-sha256$99999999999$c2FsdA$aGFzaA',
      'pbkdf2_sha256$260000$salt$not base64!',
      `$2b$05$${'C'.repeat(2000)}`,
    ]) {
      expect(importedHashFormat(hash), hash).toBeNull();
    }
  });

  it('a login for an unknown identifier takes as long as one for a member with a bcrypt hash', async () => {
    const hasher = createPasswordHasher();
    const imported = await bcryptjs.hash(PASSWORD, 10);
    const timed = async (work: () => unknown) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    await hasher.verifyDummy('warm-up: the dummy hash is made once');
    const member = await timed(() => hasher.verify(imported, 'a wrong guess'));
    // Each would answer in ≈12 ms (one argon2id) without the floor the bcrypt check set.
    for (let i = 0; i < 3; i++) {
      expect(await timed(() => hasher.verifyDummy('a wrong guess'))).toBeGreaterThanOrEqual(member * 0.9);
      const current = await hasher.hash('a member re-hashed already');
      expect(await timed(() => hasher.verify(current, 'a wrong guess'))).toBeGreaterThanOrEqual(member * 0.9);
    }
  });
});

describe('the time a password check takes', () => {
  const timed = async (work: () => unknown) => {
    const started = performance.now();
    await work();
    return performance.now() - started;
  };

  it('is held after a restart: the floor is kept in the store', async () => {
    let kept: FloorRecord | null = null;
    const memory = { load: async () => kept, save: async (record: FloorRecord) => void (kept = record) };
    const before = createPasswordHasher(undefined, undefined, memory);
    const member = await timed(() => before.verify(bcryptHash10, 'a wrong guess'));
    expect(kept).not.toBeNull();
    const restarted = createPasswordHasher(undefined, undefined, memory);
    await restarted.verifyDummy('warm-up: the dummy hash is made once');
    expect(await timed(() => restarted.verifyDummy('a wrong guess'))).toBeGreaterThanOrEqual(member * 0.9);
  });

  it('is set when hashes are imported, before any of their members logs in', async () => {
    const t = await createTestApp();
    try {
      const reference = await timed(() => bcryptjs.compare('a wrong guess', bcryptHash10));
      const body = {
        name: 'Ida Lind',
        email: 'ida@example.com',
        tenants: [TENANT],
        passwordHash: bcryptHash10,
      };
      expect(
        (await t.put('/api/provision/clients/m-1', body, { Authorization: `Bearer ${PROVISION_KEY}` }))
          .status,
      ).toBe(201);
      await t.drain();
      await t.post('/api/login', {
        identifier: 'warm-up@example.com',
        password: 'the dummy hash is made once',
      });
      const unknown = await timed(() =>
        t.post('/api/login', { identifier: 'nobody@example.com', password: 'a guess' }),
      );
      expect(unknown).toBeGreaterThanOrEqual(reference * 0.7);
    } finally {
      await t.close();
    }
  });
});

describe('PUT /api/provision/clients/:id with passwordHash', () => {
  let t: TestApp;
  afterEach(() => t.close());
  const key = { Authorization: `Bearer ${PROVISION_KEY}` };
  const bcrypt = VECTORS[0];
  const put = (body: Record<string, unknown>) =>
    t.put(
      '/api/provision/clients/c-imported',
      { name: 'Ida Imported', email: 'ida@example.com', emailConfirmed: true, tenants: [TENANT], ...body },
      key,
    );

  it('the member logs in with the old password on day one, and is re-hashed to argon2id', async () => {
    t = await createTestApp();
    const created = await put({ passwordHash: bcrypt.hash });
    expect(created.status).toBe(201);
    const body = await json<Record<string, unknown>>(created);
    expect(body).toMatchObject({ status: 'active', passwordHash: 'set' });
    expect(JSON.stringify(body)).not.toContain(bcrypt.hash.slice(7));

    expect((await login(t, 'ida@example.com', 'U*U')).result).toBe('ok');
    await t.drain();
    const account = await t.deps.store.getAccount('c-imported');
    expect(account?.credential?.hash).toMatch(/^\$argon2id\$/);
    expect(account?.passwordHistory.every((hash) => hash.startsWith('$argon2id$'))).toBe(true);
    expect((await login(t, 'ida@example.com', 'U*U')).result).toBe('ok');
    expect((await login(t, 'ida@example.com', 'U*U*')).result).toBe('invalid_credentials');

    // The same import again changes nothing, even after the re-hash.
    expect(await json(await put({ passwordHash: bcrypt.hash }))).toMatchObject({ passwordHash: 'unchanged' });
    expect((await login(t, 'ida@example.com', 'U*U')).result).toBe('ok');
  });

  it('a password the member chose here since is kept; a newer import before that replaces the old one', async () => {
    t = await createTestApp();
    await put({ passwordHash: bcrypt.hash });
    expect(await json(await put({ passwordHash: VECTORS[3].hash }))).toMatchObject({ passwordHash: 'set' });
    expect((await login(t, 'ida@example.com', 'U*U')).result).toBe('invalid_credentials');
    const { session } = await login(t, 'ida@example.com', 'U*U*');
    const changed = await t.post(
      '/api/password/change',
      { currentPassword: 'U*U*', password: 'a brand new passphrase' },
      { Authorization: `Bearer ${session}` },
    );
    expect(changed.status).toBe(200);
    expect(await json(await put({ passwordHash: bcrypt.hash }))).toMatchObject({ passwordHash: 'ignored' });
    expect((await login(t, 'ida@example.com', 'a brand new passphrase')).result).toBe('ok');
  });

  it('an unknown or malformed hash is 400 invalid_request naming the formats, never the value', async () => {
    t = await createTestApp();
    const secretish = '$1$saltsalt$0123456789abcdefghijkl';
    const body = await expectError(await put({ passwordHash: secretish }), 400, 'invalid_request');
    expect(body.error.message).toContain('$2b$');
    expect(JSON.stringify(body)).not.toContain('0123456789abcdefghijkl');
    expect(await t.deps.store.getAccount('c-imported')).toBeNull();
  });

  it('the hash reaches neither the activity trail nor staff answers', async () => {
    t = await createTestApp();
    await put({ passwordHash: VECTORS[4].hash });
    const staff = await t.asStaff();
    const events = await (await t.get('/api/admin/clients/c-imported/events', staff)).text();
    const summary = await (await t.get('/api/admin/clients/c-imported', staff)).text();
    for (const text of [events, summary]) {
      expect(text).not.toContain('scrypt');
      expect(text).not.toContain('SDMGdoXk');
    }
    expect(JSON.parse(events).items[0]).toMatchObject({ action: 'client.provision' });
  });
});

describe('Firebase users through provisioning', () => {
  let t: TestApp;
  afterEach(() => t.close());
  const key = { Authorization: `Bearer ${PROVISION_KEY}` };

  it('log in with their Firebase password once the tenant has its project parameters, which are never shown', async () => {
    t = await createTestApp();
    const user = {
      name: 'Fern Base',
      email: 'fern@example.com',
      emailConfirmed: true,
      tenants: [TENANT],
      passwordHash: { algorithm: 'firebase-scrypt', hash: FIREBASE.hash, salt: FIREBASE.salt },
    };
    const early = await t.put('/api/provision/clients/c-fern', user, key);
    const refused = await expectError(early, 400, 'invalid_request');
    expect(refused.error.message).toContain('firebaseScrypt');

    const tenant = await t.put(
      `/api/provision/tenants/${TENANT}`,
      { name: 'Studio', firebaseScrypt: FIREBASE.params },
      key,
    );
    expect(tenant.status).toBeLessThan(300);
    const shown = await tenant.text();
    expect(shown).not.toContain(FIREBASE.params.signerKey.slice(0, 20));
    expect(JSON.parse(shown)).toMatchObject({ firebaseScrypt: { rounds: 8, memCost: 14 } });

    expect((await t.put('/api/provision/clients/c-fern', user, key)).status).toBe(201);
    expect((await login(t, 'fern@example.com', FIREBASE.password)).result).toBe('ok');
    expect((await login(t, 'fern@example.com', 'user2password')).result).toBe('invalid_credentials');
    await t.drain();
    expect((await t.deps.store.getAccount('c-fern'))?.credential?.hash).toMatch(/^\$argon2id\$/);
  });
});
