/**
 * Browser tests (`npm run test:widget`): the `*.test.ts` files under test/widget/, in Debian's
 * Chromium through Playwright, against the real API. The middleware from
 * test/helpers/widget-test-server.ts (loaded through tsx) forwards /api/ and /.well-known/ to
 * createApp with a memory store, one app per test file, and serves the test-control routes under
 * /__test/ (typed wrappers in test/widget/helpers.ts).
 */
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { tsImport } from 'tsx/esm/api';

const { widgetTestServer } = await tsImport('./test/helpers/widget-test-server.ts', import.meta.url);
const { CHROMIUM_FLAGS } = await tsImport('./test/helpers/chromium.ts', import.meta.url);
const api = widgetTestServer();

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  // The root tsconfig, so that useDefineForClassFields: false applies as in the build.
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
    api.plugin,
  ],
  middleware: [api.middleware],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [...CHROMIUM_FLAGS, '--disable-quic'],
      },
    }),
  ],
  // Two cores: one page per core. Each test file has its own server app, so files may overlap.
  concurrency: 2,
  testFramework: { config: { timeout: 10_000 } },
  testsFinishTimeout: 180_000,
};
