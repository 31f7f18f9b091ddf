/**
 * The `client-reset` command as one bundle (`dist/cli/client-reset.js`, with a chunk per
 * sub-command), so that `client-reset serve` starts from a few files instead of resolving and
 * compiling some 400 modules one by one: spawn to first answer is about twice as fast. The
 * library entry points (`dist/server`, built by tsc) stay one module per file for integrators'
 * own bundlers.
 *
 * Left outside: native code (`@node-rs/argon2`, whose file the hashing threads load by path),
 * and what loads only when configured or in development (the Redis and PostgreSQL drivers, the
 * mail transport, the metrics library, vite itself). What the server loads with `createRequire`
 * at run time (the leaked-password list, the drivers, nodemailer) is never seen by the bundler
 * and resolves from the package's node_modules as before.
 *
 * Minified: less to parse at start. Errors are logged by name, code and message, never by stack,
 * so nothing an operator reads depends on the source's names.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The package's `sideEffects` list names the browser files only (for integrators' bundlers), which
 * would let this build drop the server's entry points, whose whole work is their top-level call.
 */
function keepServerSideEffects(): Plugin {
  return {
    name: 'keep-server-side-effects',
    transform(_code, id) {
      return id.startsWith(`${root}server/`) ? { moduleSideEffects: true } : null;
    },
  };
}

export default defineConfig({
  root,
  plugins: [keepServerSideEffects()],
  build: {
    ssr: true,
    outDir: 'dist/cli',
    emptyOutDir: true,
    target: 'node20',
    minify: true,
    rolldownOptions: {
      input: { 'client-reset': 'server/cli/client-reset.ts' },
      external: [
        '@node-rs/argon2',
        'pg',
        'ioredis',
        'nodemailer',
        'prom-client',
        'vite',
        /^unstorage\/drivers\//,
      ],
      output: {
        format: 'es',
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
      },
    },
  },
  // Everything else goes into the bundle.
  ssr: { noExternal: true, target: 'node' },
});
