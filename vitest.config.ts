import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/server/**/*.test.ts', 'test/package/**/*.test.ts', 'test/e2e/**/*.test.ts'],
    // Tests share one machine with argon2's thread pool; keep the run predictable.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
