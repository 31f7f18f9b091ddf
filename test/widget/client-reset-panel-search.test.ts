/**
 * `<client-reset-panel>` while answers are still on their way: overlapping searches (the list says
 * "Loading…" for as long as the newest search runs, and only its answer is shown), "Show more"
 * after a new query (it pages only the query whose results are shown), and a lock dialog whose
 * code cannot be loaded (staff are told, not left with a button that does nothing). Searches are
 * held by a `fetch` wrapper until the test lets them go, so answers arrive in the test's order.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { API_BASE, GOOD_PASSWORD, resetServer, seedClient, staffToken } from './helpers.js';
import {
  $,
  $$,
  button,
  control,
  dialogOf,
  fill,
  focused,
  listPanel,
  maybeButton,
  RequestLog,
  shadow,
  txt,
  until,
  who,
  type ClientResetPanel,
} from './panel-helpers.js';

let log: RequestLog;

beforeEach(async () => {
  await resetServer();
  log = new RequestLog().install();
});

afterEach(() => {
  log.restore();
});

/** The names in the list, top to bottom. */
const names = (el: ClientResetPanel) => $$(el, 'tbody tr td:first-child').map(txt);
/** The list's status line: "Loading…", "No clients match." or nothing. */
const statusText = (el: ClientResetPanel) => txt($(el, 'p[role=status]'));
const alertText = (el: ClientResetPanel) => txt($(el, '[role=alert]'));

/** A search `SearchGate` holds: `started` once the element has sent it. */
interface HeldSearch {
  readonly started: boolean;
  /** Lets the request go on to the server. */
  release: () => void;
}

/**
 * Holds chosen searches of the client list (GET /api/admin/clients?q=…) until the test releases
 * them. A released search goes on through `fetch` as the element called it: one the element has
 * cancelled meanwhile fails as the browser fails it (AbortError), one it has not gets the real
 * server's answer, however late. Install it after `RequestLog`, restore it before.
 */
class SearchGate {
  private readonly before = window.fetch;
  private readonly waiting = new Map<string, { start: () => void; released: Promise<void> }>();

  install(): this {
    const before = this.before;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input), location.href);
      const q = url.pathname === '/api/admin/clients' ? url.searchParams.get('q') : null;
      const gate = q === null ? undefined : this.waiting.get(q);
      if (gate) {
        this.waiting.delete(q!);
        gate.start();
        await gate.released;
      }
      return before(input, init);
    };
    return this;
  }

  restore(): void {
    window.fetch = this.before;
  }

  /** Holds the next search for exactly `q`; later ones go straight through. */
  hold(q: string): HeldSearch {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const held = { started: false, release };
    this.waiting.set(q, { start: () => (held.started = true), released });
    return held;
  }
}

describe('<client-reset-panel> overlapping searches', () => {
  const everyone = ['Ana Alvarez', 'Ben Okafor', 'Cara Lindqvist', 'Dev Shah', 'Eli Moreau'];

  beforeEach(async () => {
    await Promise.all(everyone.map((name) => seedClient({ name })));
  });

  it('says "Loading…" until the newest search answers; the cancelled one’s late answer neither ends it nor shows', async () => {
    const el = await listPanel(5);
    const gate = new SearchGate().install();
    try {
      const first = gate.hold('ben');
      const second = gate.hold('eli');
      const search = control(el, 'Search clients');
      search.focus();
      await sendKeys({ type: 'ben' });
      await until(() => first.started, 'no search for "ben"');
      await el.updateComplete;
      expect(statusText(el)).to.equal('Loading…');

      // Staff type again before the answer: a second search, and then the first one's answer.
      search.select();
      await sendKeys({ type: 'eli' });
      await until(() => second.started, 'no search for "eli"');
      first.release();
      await log.idle(el);
      expect({
        status: statusText(el),
        names: names(el),
        retry: maybeButton(shadow(el), 'Retry') !== null,
      }).to.deep.equal({ status: 'Loading…', names: everyone, retry: false });

      second.release();
      await until(() => names(el).join() === 'Eli Moreau', 'the newest search was not shown');
      await log.idle(el);
      expect(statusText(el), 'the status line after the newest answer').to.equal('');
      expect(alertText(el)).to.equal('');
    } finally {
      gate.restore();
    }
  });
});

describe('<client-reset-panel> Show more after a new query', () => {
  const numbered = (word: string) =>
    Array.from({ length: 27 }, (_, i) => `${word} ${String(i + 1).padStart(2, '0')}`);
  // Two queries of more than a page (25) each; Aaron matches neither, so that the unsearched
  // list (Aaron first) differs from the first page of "alpha".
  const alpha = numbered('Alpha');
  const beta = numbered('Beta');

  beforeEach(async () => {
    await Promise.all(
      ['Aaron Abbott', ...alpha, ...beta].map((name) =>
        seedClient({ name, email: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com` }),
      ),
    );
  });

  /** The list of "alpha" matches, first page shown, with Show more under it. */
  async function alphaShown(el: ClientResetPanel): Promise<HTMLInputElement> {
    const search = control(el, 'Search clients');
    fill(search, 'alpha');
    await until(
      () => names(el).join() === alpha.slice(0, 25).join(),
      'the first page of "alpha" was not shown',
    );
    await log.idle(el);
    expect(maybeButton(shadow(el), 'Show more'), 'Show more under "alpha"').to.not.equal(null);
    return search;
  }

  it('pressed while the new query is being searched: that query’s first page, never the last query’s next; then its own next page', async () => {
    const el = await listPanel(25);
    const search = await alphaShown(el);
    const gate = new SearchGate().install();
    try {
      const held = gate.hold('beta');
      fill(search, 'beta');
      await until(() => held.started, 'no search for "beta"');
      button(shadow(el), 'Show more').click();
      await log.idle(el);
      // The search that Show more replaced answers last.
      held.release();
      await log.idle(el);
      expect(names(el)).to.deep.equal(beta.slice(0, 25));
      expect(statusText(el)).to.equal('');
    } finally {
      gate.restore();
    }

    // Now the list shows "beta": Show more adds its next page.
    button(shadow(el), 'Show more').click();
    await log.idle(el);
    expect(names(el)).to.deep.equal(beta);
    expect(maybeButton(shadow(el), 'Show more'), 'Show more after the last page').to.equal(null);
  });

  it('pressed before typing pauses (nothing searched yet): the typed query’s first page, not the last query’s next', async () => {
    const el = await listPanel(25);
    const search = await alphaShown(el);
    fill(search, 'beta');
    button(shadow(el), 'Show more').click();
    await log.idle(el);
    expect(names(el)).to.deep.equal(beta.slice(0, 25));
    expect(statusText(el)).to.equal('');
  });
});

describe('<client-reset-panel> a lock dialog whose code cannot be loaded', () => {
  /**
   * A panel in a frame of its own whose import map blocks the lock dialog's module, so that
   * loading it fails (a TypeError, as a failed fetch gives). The block stays in the frame: this
   * page's import map is untouched. (Chromium remembers the failed resolution and an import map
   * cannot be taken back, so a load that fails once and then works cannot be made here.)
   */
  async function panelWithoutLockDialog(
    clientId: string,
  ): Promise<{ el: ClientResetPanel; frame: HTMLIFrameElement }> {
    const dir = new URL('/widget/client-reset-panel/', location.href).href;
    const blocked = { imports: { [`${dir}lock-dialog.ts`]: null, [`${dir}lock-dialog.js`]: null } };
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><script type="importmap">${JSON.stringify(blocked)}</script>
      <script type="module" src="${dir}client-reset-panel.ts"></script>`;
    document.body.append(frame);
    await until(
      () => frame.contentWindow?.customElements.get('client-reset-panel'),
      'the panel did not load in the frame',
    );
    const el = frame.contentDocument!.createElement('client-reset-panel');
    el.apiBase = API_BASE;
    el.token = await staffToken();
    el.clientId = clientId;
    frame.contentDocument!.body.append(el);
    await until(() => $(el, 'h2') && $(el, 'section h3'), 'the client did not load');
    return { el, frame };
  }

  it('pressing Reset password says the server could not be reached, with focus on it, instead of nothing', async () => {
    const client = await seedClient({
      name: 'Noor Haddad',
      email: 'noor@example.com',
      password: GOOD_PASSWORD,
    });
    const { el, frame } = await panelWithoutLockDialog(client.id);
    try {
      // Its code was fetched ahead when the client was shown: that failure waits for staff to ask.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await el.updateComplete;
      expect(alertText(el)).to.equal('');

      button(shadow(el), 'Reset password').click();
      await until(() => alertText(el), 'nothing was said when the dialog could not load');
      await el.updateComplete;
      expect(alertText(el)).to.equal('The server could not be reached. Please try again in a moment.');
      expect(focused(el)).to.equal(who($(el, '[role=alert]')));
      expect(dialogOf(el), 'no dialog').to.equal(null);
    } finally {
      frame.remove();
    }
  });
});
