/**
 * Build configuration. The server runs from TypeScript through tsx; vite builds the browser
 * side: `widget/index.ts` (the three elements, Lit included) into one minified ES module,
 * `dist/browser/widget.js`, which the server serves at GET /widget.js (`server/routes/widget.ts`), and the
 * hosted login page's script, `dist/hosted-login.js` (`server/routes/pages.ts`).
 * `bench/size.ts` builds each element alone with this same configuration to check the budget.
 */
import { transform as transformCss } from 'lightningcss';
import { minifyHTMLLiterals } from 'minify-literals';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Minified CSS; Lightning CSS understands nesting (the member stylesheet uses it) and throws on bad CSS. */
const minifyCss = (code: string): string =>
  transformCss({ filename: 'template.css', code: Buffer.from(code), minify: true }).code.toString();

/**
 * Minifies the markup and CSS inside Lit's `html` and `css` templates, which a JS minifier keeps
 * as written (indentation included). Runs after TypeScript is stripped.
 */
function minifyTemplates(): Plugin {
  return {
    name: 'minify-templates',
    apply: 'build',
    async transform(code, id) {
      if (!/\/widget\/.*\.ts$/.test(id)) return null;
      // No source map: the shipped file has none.
      const result = await minifyHTMLLiterals(code, {
        fileName: id,
        generateSourceMap: false,
        // Self-closing slashes stay: inline SVG (`<path/>`) is foreign content, where they matter.
        minifyOptions: { minifyCSS: minifyCss, removeAttributeQuotes: true, keepClosingSlash: true },
      });
      return result && { code: result.code };
    },
  };
}

export default defineConfig({
  // This folder, whatever the working directory (the server builds in process from anywhere).
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [minifyTemplates()],
  // A finished browser file, not a library for another bundler: Lit's production build even when
  // NODE_ENV says otherwise (vitest, or a server building it in process), and no `process.env`
  // left for a page to trip on.
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist/browser',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    lib: {
      // The hosted /login page's own script is built beside the bundle; it shares no code with it.
      entry: { widget: 'widget/index.ts', 'hosted-login': 'widget/pages/hosted-login.ts' },
      formats: ['es'],
      fileName: (_format, entryName) => `${entryName}.js`,
    },
    // Locale packs load on demand from beside widget.js; the server serves `widget-*.js` too.
    rolldownOptions: {
      // The code the entry loads anyway stays in it: the lock dialog's chunk imports from
      // widget.js (which gains exports for it) instead of both loading a third, shared file.
      preserveEntrySignatures: 'allow-extension',
      output: {
        chunkFileNames: 'widget-[name]-[hash].js',
        minify: true,
        // Library mode keeps whitespace and pure annotations in ES output for a later bundler;
        // this file goes to browsers as it is, so minify it fully. Lit's license notices are
        // replaced by one line naming it (the full text is in node_modules/lit/LICENSE).
        comments: { annotation: false, legal: false },
        postBanner: (chunk) => (chunk.isEntry ? '/*! Lit | Copyright Google LLC | BSD-3-Clause */' : ''),
      },
    },
  },
});
