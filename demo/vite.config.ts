/**
 * Build of the demo pages (`npm run build`, or in process by `server/routes/demo-pages.ts`): a
 * multi-page site under /demo/ written to dist/demo. The elements are not bundled: each page loads
 * `/widget.js` from the server with a plain script tag, exactly as an integrator's page does.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const DEMO_DIR = fileURLToPath(new URL('.', import.meta.url));
const at = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Page files, relative to demo/: each is an entry, served at /demo/<folder>/. */
const PAGES = [
  'index.html',
  'admin/index.html',
  'admin/client.html',
  'member/index.html',
  'mailbox/index.html',
  'embed/index.html',
];

/** The studio's mark: a teal disc with an R. */
const FAVICON =
  "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>" +
  "<circle cx='16' cy='16' r='16' fill='%230f766e'/><text x='16' y='22' font-size='18' font-weight='700' " +
  "font-family='system-ui,sans-serif' text-anchor='middle' fill='white'>R</text></svg>";

/**
 * One top nav for every page, written once in `nav.html` and put in place of `<!-- demo-nav -->`
 * at build time, so it is in the HTML itself (no flash, readable without scripts), with
 * `aria-current="page"` on the link of the page's own section; and the icon.
 */
function sharedNav(): Plugin {
  const nav = () => readFileSync(at('nav.html'), 'utf8').trim();
  return {
    name: 'demo-nav',
    transformIndexHtml: {
      order: 'pre',
      handler(html, { path }) {
        // `path` is the page's path from demo/ at build time (`/admin/client.html`), the URL in dev.
        const section = `/demo/${path.replace(/^\/(demo\/)?/, '').replace(/[^/]*$/, '')}`;
        const own = nav().replace(
          new RegExp(`href="${section.replace(/[/.]/g, '\\$&')}"(?=[\\s>])`),
          (match) => `${match} aria-current="page"`,
        );
        return {
          html: html.replace('<!-- demo-nav -->', own),
          // Inline, so no page asks for a /favicon.ico the server does not have.
          tags: [{ tag: 'link', attrs: { rel: 'icon', href: FAVICON }, injectTo: 'head' }],
        };
      },
    },
  };
}

export default defineConfig({
  root: DEMO_DIR,
  base: '/demo/',
  plugins: [sharedNav()],
  // Lit's production build (lit-html renders some demo views), whatever NODE_ENV says.
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  publicDir: false,
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      // Named after the page (`admin-client`), so each page's script is one flat, readable asset.
      input: Object.fromEntries(
        PAGES.map((page) => [page.replace(/(\/?index)?\.html$/, '').replace('/', '-') || 'home', at(page)]),
      ),
    },
  },
  // `vite --config demo/vite.config.ts` for work on the pages: the API and the elements come from
  // `npm start` on its usual port.
  server: {
    proxy: {
      '/api': 'http://localhost:8787',
      '/widget': 'http://localhost:8787',
    },
  },
});
