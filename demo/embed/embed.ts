/** "Embed it": the integration snippets (demo/embed/snippets/, included as text at build time) with a copy button each. */
import { html, render } from 'lit/html.js';
import { initShell, notify } from '../lib/shell.js';

initShell();

/** Every file in snippets/ as text; a glob, so a snippet not written yet leaves a gap, not a broken build. */
const files = import.meta.glob<string>('./snippets/*', { query: '?raw', import: 'default', eager: true });

/** Known snippets in reading order, with their titles; any other file follows under its own name. */
const KNOWN: [file: string, title: string, note: string][] = [
  ['plain.html', 'Plain HTML', 'A staff page and a member page in plain HTML.'],
  ['react.jsx', 'React', 'The panel in a React component: the function and the events go on the element.'],
  ['vue.vue', 'Vue', 'The panel in a Vue single-file component.'],
  ['vue-vite.config.js', 'Vue: vite.config.js', 'Tells Vue’s compiler which tags are custom elements.'],
  [
    'server-side.ts',
    'Server-rendered page (Node)',
    'The token signed while rendering the page: no token endpoint.',
  ],
];

/** The reset server's origin as the snippet files write it; shown and copied as this server's own. */
const WRITTEN_ORIGIN = 'http://localhost:8787';

const byName = new Map(
  Object.entries(files).map(([path, text]) => [
    path.replace('./snippets/', ''),
    text.replaceAll(WRITTEN_ORIGIN, location.origin),
  ]),
);
const snippets = [
  ...KNOWN.filter(([file]) => byName.has(file)),
  ...[...byName.keys()]
    .filter((file) => !KNOWN.some(([known]) => known === file))
    .map((file): [string, string, string] => [file, file, '']),
];

async function copy(text: string, title: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    button.firstChild!.textContent = 'Copied';
    notify(`${title} snippet copied.`);
    setTimeout(() => (button.firstChild!.textContent = 'Copy'), 2000);
  } catch {
    // No clipboard (permission, or a page not served over https or localhost): select it to copy by hand.
    const code = button.closest('.snippet')!.querySelector('code')!;
    getSelection()?.selectAllChildren(code);
    notify('Copying is not allowed here: the snippet is selected, press Ctrl+C.', 'error');
  }
}

render(
  snippets.length
    ? snippets.map(([file, title, note]) => {
        const text = byName.get(file)!;
        const id = `snippet-${file.replace(/\W+/g, '-')}`;
        return html`<article class="card snippet" aria-labelledby=${id}>
          <header>
            <div>
              <h3 id=${id}>${title}</h3>
              <p class="muted">${note ? html`${note} ` : ''}<code>${file}</code></p>
            </div>
            <button
              type="button"
              class="button"
              @click=${(event: Event) => void copy(text, title, event.currentTarget as HTMLButtonElement)}
            >
              Copy<span class="sr-only"> ${title} snippet</span>
            </button>
          </header>
          <pre tabindex="0" aria-label=${`${title} snippet`}><code>${text}</code></pre>
        </article>`;
      })
    : html`<p class="muted">The snippets are not written yet.</p>`,
  document.querySelector<HTMLElement>('#snippets')!,
);
