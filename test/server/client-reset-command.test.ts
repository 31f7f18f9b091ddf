/**
 * The `client-reset` command as an operator runs it: its help, a signing key rotated in the store
 * a server then publishes, and the refusals that keep an operator from rotating a key nobody uses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKeyRing } from '../../server/crypto/keys.js';
import { createStore } from '../../server/store/create-store.js';
import { clientReset } from '../helpers/client-reset-command.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('client-reset', () => {
  it('lists every command on --help and refuses an unknown one with the same list', async () => {
    const help = await clientReset(['--help'], {});
    expect(help.code).toBe(0);
    for (const command of ['serve', 'migrate', 'export <file>', 'import <file>', 'keys rotate', 'provision'])
      expect(help.stdout).toContain(command);
    const unknown = await clientReset(['frobnicate'], {});
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('keys rotate');
  });

  it('keys rotate: a new current key in the store, the older one still published for its tokens', async () => {
    const env = { STORAGE: 'fs', DATA_DIR: dataDir };
    const store = createStore({ storage: 'fs', dataDir });
    const before = (await loadKeyRing(store, Date.now())).currentKid;
    await store.close();

    const rotated = await clientReset(['keys', 'rotate'], env);
    expect(rotated.code).toBe(0);
    const again = createStore({ storage: 'fs', dataDir });
    const ring = await loadKeyRing(again, Date.now());
    await again.close();
    expect(ring.currentKid).not.toBe(before);
    expect(ring.jwks(Date.now()).keys.map((key) => key.kid)).toEqual([ring.currentKid, before]);
    expect(rotated.stdout).toContain(`New signing key ${ring.currentKid}. 1 older key(s)`);
    // Key ids only: no key material is printed.
    expect(rotated.stdout + rotated.stderr).not.toMatch(/"d"|"x"|PRIVATE/);
  });

  it('keys rotate refuses where a rotation would change nothing the servers use', async () => {
    const configured = await clientReset(['keys', 'rotate'], {
      STORAGE: 'fs',
      DATA_DIR: dataDir,
      SIGNING_KEY: '{"kty":"OKP","crv":"Ed25519","x":"AA","d":"AA"}',
    });
    expect(configured.code).toBe(1);
    expect(configured.stderr).toContain('SIGNING_KEY is set');
    // A store no server has used (a mistyped DATA_DIR, say) is not rotated into life.
    const empty = await clientReset(['keys', 'rotate'], { STORAGE: 'fs', DATA_DIR: join(dataDir, 'typo') });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('No signing keys in this store');
    const memory = await clientReset(['keys', 'rotate'], { STORAGE: 'memory' });
    expect(memory.code).toBe(1);
    expect(memory.stderr).toContain('STORAGE=memory');
  });

  it('export and import move a store to another folder; migrate says what it is for', async () => {
    const file = join(dataDir, 'moved.ndjson');
    const exported = await clientReset(['export', file], { STORAGE: 'fs', DATA_DIR: dataDir });
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/Exported \d+ accounts and \d+ other records from fs to /);
    const target = join(dataDir, 'target');
    const imported = await clientReset(['import', file], { STORAGE: 'fs', DATA_DIR: target });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('Imported an export of fs');
    // The signing keys moved with everything else.
    const keysIn = async (dir: string) => {
      const store = createStore({ storage: 'fs', dataDir: dir });
      const ring = await loadKeyRing(store, Date.now());
      await store.close();
      return ring.jwks(Date.now()).keys.map((key) => key.kid);
    };
    expect(await keysIn(target)).toEqual(await keysIn(dataDir));

    const migrate = await clientReset(['migrate'], { STORAGE: 'fs', DATA_DIR: dataDir });
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('migrations are for STORAGE=postgres');
  });
});
