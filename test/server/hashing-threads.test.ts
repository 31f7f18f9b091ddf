import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HashingThreads } from '../../server/crypto/hashing-threads.js';
import { createPasswordHasher } from '../../server/crypto/passwords.js';
import { passwordHashing } from '../../server/crypto/params.js';

const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const options = { ...cheap, algorithm: passwordHashing.algorithm };

/** Nice values of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    // The command name may hold spaces: fields are counted after its closing parenthesis.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('hashing threads', () => {
  it('hash and verify on threads of their own: a right password passes, a wrong one and a broken hash do not', async () => {
    const hasher = createPasswordHasher(cheap, { concurrency: 2, queueLimit: 8 });
    const stored = await hasher.hash('velvet-harbor-quartz-91');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await hasher.verify(stored, 'velvet-harbor-quartz-91')).toBe(true);
    expect(await hasher.verify(stored, 'velvet-harbor-quartz-92')).toBe(false);
    expect(await hasher.verify('$argon2id$v=19$m=1024,t=1,p=1$broken', 'x')).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'run below the event loop’s priority, so answers never wait behind a hash',
    async () => {
      const threads = new HashingThreads({ size: 1, priority: 10 });
      try {
        const before = threadNiceValues().filter((nice) => nice === 10).length;
        await threads.run({ op: 'hash', password: 'velvet-harbor-quartz-91', options });
        const after = threadNiceValues();
        expect(after.filter((nice) => nice === 10).length).toBe(before + 1);
        // The thread that runs this test (the event loop) keeps its own priority.
        expect(Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16])).toBe(0);
      } finally {
        await threads.close();
      }
    },
  );

  it('runs at most `size` hashes at once and queues the rest in order', async () => {
    const threads = new HashingThreads({ size: 2, priority: 0 });
    try {
      const hashes = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          threads.run({ op: 'hash', password: `password-number-${i}`, options }),
        ),
      );
      const checks = await Promise.all(
        hashes.map((hash, i) =>
          threads.run({ op: 'verify', hash: hash as string, password: `password-number-${i}` }),
        ),
      );
      expect(checks).toEqual([true, true, true, true, true, true]);
    } finally {
      await threads.close();
    }
  });

  it('stops idle threads and starts new ones for the next job', async () => {
    const threads = new HashingThreads({ size: 1, priority: 0, idleMs: 50 });
    try {
      await threads.run({ op: 'hash', password: 'first-password-here', options });
      expect(threads.started).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(threads.started).toBe(0);
      const hash = await threads.run({ op: 'hash', password: 'second-password-here', options });
      expect(
        await threads.run({ op: 'verify', hash: hash as string, password: 'second-password-here' }),
      ).toBe(true);
    } finally {
      await threads.close();
    }
  });

  it('a check whose thread is lost fails as server_busy (503, try again), never as a wrong password', async () => {
    const threads = new HashingThreads({ size: 1, priority: 0 });
    const slow = { memoryCost: 65536, timeCost: 4, parallelism: 1, algorithm: passwordHashing.algorithm };
    const stored = (await threads.run({
      op: 'hash',
      password: 'some-password-here',
      options: slow,
    })) as string;
    const check = threads.run({ op: 'verify', hash: stored, password: 'some-password-here' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await threads.close();
    await expect(check).rejects.toMatchObject({ code: 'server_busy' });
  });

  it('after close, jobs fail with a clear error instead of waiting forever', async () => {
    const threads = new HashingThreads({ size: 1, priority: 0 });
    await threads.run({ op: 'hash', password: 'some-password-here', options });
    await threads.close();
    await expect(threads.run({ op: 'hash', password: 'another-password', options })).rejects.toThrow(
      'hashing threads closed',
    );
  });
});
