/**
 * `<client-reset-panel>` where staff really use it: on a 320 px phone (no horizontal scrolling, the
 * lock and badges on screen), searching as they type (debounced; an older answer never replaces a
 * newer one), a server that cannot be reached (Retry), a page in dark mode, and an icon that needs
 * no emoji font.
 */
import { expect } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import { GOOD_PASSWORD, OTHER_TENANT, resetServer, seedClient, staffToken } from './helpers.js';
import {
  $,
  $$,
  button,
  clientPanel,
  control,
  dialogOf,
  listPanel,
  maybeButton,
  openLock,
  RequestLog,
  shadow,
  txt,
  until,
  type ClientResetPanel,
} from './panel-helpers.js';

let log: RequestLog;

beforeEach(async () => {
  await resetServer();
  log = new RequestLog().install();
});

afterEach(async () => {
  log.restore();
  await setViewport({ width: 800, height: 600 });
  await emulateMedia({ colorScheme: 'light' });
  document.documentElement.style.colorScheme = '';
});

async function seedFive(): Promise<void> {
  await Promise.all([
    seedClient({
      name: 'Ana Alvarez',
      email: 'ana.alvarez.long-address@example-fitness-studio.com',
      username: 'ana.a',
      password: GOOD_PASSWORD,
    }),
    seedClient({ name: 'Ben Okafor', email: 'ben@example.com', emailConfirmed: false }),
    seedClient({
      name: 'Cara Lindqvist',
      email: 'cara@example.com',
      loginEnabled: false,
      password: GOOD_PASSWORD,
    }),
    seedClient({
      name: 'Dev Shah',
      email: 'dev@example.com',
      tenants: ['studio-a', OTHER_TENANT],
      password: GOOD_PASSWORD,
    }),
    seedClient({ name: 'Eli Moreau', email: null, username: 'eli.m', password: GOOD_PASSWORD }),
  ]);
}

/** Everything the panel shows lies within the viewport's width, and the page does not scroll sideways. */
function expectFits(el: ClientResetPanel, width: number): void {
  expect(document.documentElement.scrollWidth, 'page width').to.be.at.most(width);
  const outside = $$(el, 'button, [part~=badge], input, td, dd, code')
    .filter((node) => node.getClientRects().length > 0)
    .filter((node) => {
      const box = node.getBoundingClientRect();
      return box.left < 0 || box.right > width + 0.5;
    })
    .map(
      (node) => `${node.localName} "${txt(node)}" right=${Math.round(node.getBoundingClientRect().right)}`,
    );
  expect(outside, 'off-screen').to.deep.equal([]);
}

describe('<client-reset-panel> on a 320 px phone', () => {
  it('the list, a client and the lock dialog fit without horizontal scrolling', async () => {
    await seedFive();
    await setViewport({ width: 320, height: 640 });
    const el = await listPanel(5);
    expectFits(el, 320);
    // Each row's lock is on screen and named for its client.
    const locks = $$(el, 'tbody button[part~=lock]');
    expect(locks).to.have.length(5);
    for (const lock of locks) expect(lock.getBoundingClientRect().right).to.be.at.most(320);

    button(shadow(el), 'Ana Alvarez').click();
    await until(() => $(el, 'section h3'), 'the client did not load');
    await log.idle(el);
    expectFits(el, 320);

    const dialog = await openLock(el);
    expect(dialog.getBoundingClientRect().right).to.be.at.most(320);
    control(el, 'Show once', dialog).click();
    button(dialog, 'Continue').click();
    await until(() => maybeButton(dialog, 'Reset password'));
    button(dialog, 'Reset password').click();
    await until(() => dialog.querySelector('code'), 'no password shown');
    expectFits(el, 320);
    button(dialog, 'I have noted it').click();
  });
});

describe('<client-reset-panel> search as staff type', () => {
  it('narrows the list when typing pauses, without Enter, in one request', async () => {
    await seedFive();
    const el = await listPanel(5);
    log.clear();
    control(el, 'Search clients').focus();
    await sendKeys({ type: 'cara' });
    await until(() => $$(el, 'tbody tr').length === 1, 'typing did not narrow the list');
    expect(txt($(el, 'tbody td'))).to.equal('Cara Lindqvist');
    // Debounced: no request for "c", "ca", "car".
    expect(log.find('GET', '/api/admin/clients?').map((r) => r.path)).to.deep.equal([
      '/api/admin/clients?q=cara&limit=25',
    ]);
  });

  it('a newer search cancels an older one still in flight: its late answer never replaces the list', async () => {
    await seedFive();
    const el = await listPanel(5);
    // The server answers the search for "ben" slowly.
    const fetchBefore = window.fetch;
    const aborted: string[] = [];
    const errors: unknown[] = [];
    el.addEventListener('reset-error', (event) => errors.push(event.detail));
    const started: string[] = [];
    window.fetch = async (input, init) => {
      started.push(String(input));
      if (String(input).includes('q=ben')) {
        init?.signal?.addEventListener('abort', () => aborted.push(String(input)));
        await new Promise((resolve) => setTimeout(resolve, 600));
      }
      return fetchBefore(input, init);
    };
    try {
      const search = control(el, 'Search clients');
      search.focus();
      await sendKeys({ type: 'ben' });
      await until(() => started.some((url) => url.includes('q=ben')), 'no search for ben');
      search.select();
      await sendKeys({ type: 'eli' });
      await until(() => txt($(el, 'tbody td')) === 'Eli Moreau', 'the newer search was not shown');
      expect(aborted).to.have.length(1);
      // The cancelled search is no error: nothing announced, focus still in the search box.
      expect(errors).to.deep.equal([]);
      expect(el.shadowRoot!.activeElement).to.equal(search);
      await new Promise((resolve) => setTimeout(resolve, 800));
      await el.updateComplete;
      expect($$(el, 'tbody tr td:first-child').map(txt)).to.deep.equal(['Eli Moreau']);
    } finally {
      window.fetch = fetchBefore;
    }
  });
});

describe('<client-reset-panel> when the server cannot be reached', () => {
  /** Makes every API request fail as a network error until `restore` is called. */
  function serverDown(): { restore: () => void } {
    const before = window.fetch;
    window.fetch = async (input, init) => {
      if (new URL(String(input), location.href).pathname.startsWith('/api/'))
        throw new TypeError('Failed to fetch');
      return before(input, init);
    };
    return { restore: () => (window.fetch = before) };
  }

  it('the list says the server could not be reached (not the staff’s connection) and Retry loads it', async () => {
    await seedFive();
    const down = serverDown();
    const el = document.createElement('client-reset-panel');
    el.apiBase = '/api';
    el.token = 'any';
    document.body.append(el);
    try {
      await until(() => maybeButton(shadow(el), 'Retry'), 'no Retry after a failed load');
      expect(txt($(el, '[role=alert]'))).to.equal(
        'The server could not be reached. Please try again in a moment.',
      );
      // The token was wrong too: a good one, then Retry (the server is back).
      down.restore();
      el.token = await staffToken();
      await until(() => $$(el, 'tbody tr').length === 5, 'the list did not load with the new token');
      // Down again: the search fails, Retry brings the list back.
      const again = serverDown();
      control(el, 'Search clients').focus();
      await sendKeys({ type: 'a' });
      await until(() => maybeButton(shadow(el), 'Retry'), 'no Retry after a failed search');
      again.restore();
      button(shadow(el), 'Retry').click();
      await until(
        () => !maybeButton(shadow(el), 'Retry') && $$(el, 'tbody tr').length > 0,
        'Retry did not load',
      );
      expect(txt($(el, '[role=alert]'))).to.equal('');
    } finally {
      down.restore();
      el.remove();
    }
  });

  it('a client page that failed to load offers Retry, which shows the client', async () => {
    const client = await seedClient({
      name: 'Noor Haddad',
      email: 'noor@example.com',
      password: GOOD_PASSWORD,
    });
    const down = serverDown();
    const el = document.createElement('client-reset-panel');
    el.apiBase = '/api';
    el.token = await staffToken();
    el.clientId = client.id;
    document.body.append(el);
    try {
      await until(() => maybeButton(shadow(el), 'Retry'), 'no Retry after a failed load');
      down.restore();
      button(shadow(el), 'Retry').click();
      await until(() => txt($(el, 'h2')) === 'Noor Haddad', 'Retry did not show the client');
    } finally {
      down.restore();
      el.remove();
    }
  });
});

describe('<client-reset-panel> another client', () => {
  it('a new client-id hides the last client at once: nothing of it is shown or acted on while the new one loads', async () => {
    const ana = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com', password: GOOD_PASSWORD });
    const ben = await seedClient({ name: 'Ben Okafor', email: 'ben@example.com', password: GOOD_PASSWORD });
    const el = await clientPanel(ana.id);
    const before = window.fetch;
    window.fetch = async (input, init) => {
      if (String(input).includes(ben.id)) await new Promise((resolve) => setTimeout(resolve, 400));
      return before(input, init);
    };
    try {
      el.clientId = ben.id;
      await el.updateComplete;
      expect(txt($(el, 'h2')), 'Ana is gone at once').to.not.equal('Ana Alvarez');
      expect(maybeButton(shadow(el), 'Send reset link'), 'no action while loading').to.equal(null);
      await until(() => txt($(el, 'h2')) === 'Ben Okafor', 'Ben did not load');
    } finally {
      window.fetch = before;
    }
  });
});

describe('<client-reset-panel> look', () => {
  it('the lock is an inline SVG icon (no emoji font needed), named for the client', async () => {
    await seedFive();
    const el = await listPanel(5);
    const lock = $$(el, 'tbody button[part~=lock]')[0];
    expect(txt(lock)).to.equal('');
    expect(lock.querySelector('svg')?.getAttribute('aria-hidden')).to.equal('true');
    expect(lock.getAttribute('aria-label')).to.equal('Reset password for Ana Alvarez');
  });

  it('follows a dark page (color-scheme: light dark) when the user prefers dark; --reset-* still win', async () => {
    const client = await seedClient({
      name: 'Ana Alvarez',
      email: 'ana@example.com',
      password: GOOD_PASSWORD,
    });
    document.documentElement.style.colorScheme = 'light dark';
    const el = await clientPanel(client.id);
    const primary = () => getComputedStyle(button(shadow(el), 'Reset password')).backgroundColor;
    expect(primary()).to.equal('rgb(29, 78, 216)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(primary()).to.equal('rgb(96, 165, 250)');
    el.style.setProperty('--reset-accent', 'rgb(200, 0, 100)');
    expect(primary()).to.equal('rgb(200, 0, 100)');
    const dialog = await openLock(el);
    expect(getComputedStyle(dialog).backgroundColor).to.equal('rgb(17, 24, 39)');
    expect(dialogOf(el).open).to.equal(true);
  });
});
