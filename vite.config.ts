/**
 * Build configuration. The server runs from TypeScript through tsx; vite builds the browser
 * side: `widget/index.ts` (the three elements, Lit included) into one minified ES module,
 * `dist/widget.js`, which the server serves at GET /widget.js (`server/routes/widget.ts`).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  // A finished browser file, not a library for another bundler: Lit's production build even when
  // NODE_ENV says otherwise (vitest, or a server building it in process), and no `process.env`
  // left for a page to trip on.
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: {
      entry: 'widget/index.ts',
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    // Locale packs load on demand from beside widget.js; the server serves `widget-*.js` too.
    rolldownOptions: {
      output: {
        chunkFileNames: 'widget-[name]-[hash].js',
        minify: true,
        comments: { annotation: false, legal: true },
      },
    },
    // Library mode keeps whitespace and pure annotations in ES output for a later bundler; this
    // file goes to browsers as it is, so minify it fully (Lit's license notices stay).
  },
});
