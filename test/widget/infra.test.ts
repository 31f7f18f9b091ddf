/**
 * The browser test setup itself (the real API behind the page, the test routes, axe), and what the
 * elements' base promises a page: properties set before the script defined the element are kept,
 * attributes and properties stay in step, and `updateComplete` means the element is rendered.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ClientResetPanel } from '../../widget/client-reset-panel/client-reset-panel.js';
import '../../widget/force-reset-dialog/force-reset-dialog.js';
import type { ForceResetDialog } from '../../widget/force-reset-dialog/force-reset-dialog.js';
import {
  advanceClock,
  GOOD_PASSWORD,
  outbox,
  resetServer,
  seedClient,
  setPassword,
  tokenFromMail,
  API_BASE,
  staffToken,
} from './helpers.js';

describe('browser test setup', () => {
  beforeEach(async () => {
    const { session } = await resetServer();
    // Keyed by this page's wtr session: other test files never see this server's data.
    expect(session).to.not.equal('shared');
  });

  it('answers /api/policy from the real server', async () => {
    const response = await fetch('/api/policy');
    expect(response.status).to.equal(200);
    expect(response.headers.get('cache-control')).to.equal('no-store');
    const policy = await response.json();
    expect(policy.minLength).to.equal(12);
  });

  it('mails a reset link to a seeded client through POST /api/forgot', async () => {
    const client = await seedClient({ email: 'rosa@example.com', password: GOOD_PASSWORD });
    const response = await fetch('/api/forgot', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'rosa@example.com' }),
    });
    expect(response.status).to.equal(202);
    const [mail] = await outbox({ to: 'rosa@example.com' });
    expect(mail.kind).to.equal('reset');
    expect(mail.clientId).to.equal(client.id);
    const inspect = await fetch('/api/links/inspect', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: tokenFromMail(mail) }),
    });
    expect(inspect.status).to.equal(200);
  });

  it('sets a temporary password through the staff endpoint and moves the clock', async () => {
    const client = await seedClient({ password: GOOD_PASSWORD });
    const result = await setPassword(client.id, { mode: 'random', delivery: 'display', temporary: true });
    expect(result.password).to.be.a('string');
    const before = await advanceClock(0);
    expect(await advanceClock(60_000)).to.equal(before + 60_000);
  });
});

describe('the elements’ base', () => {
  beforeEach(async () => {
    await resetServer();
  });

  it('keeps properties a page set before the script defined the element (a module script runs late)', async () => {
    const client = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com' });
    // The tag is on the page and the page's own script sets the token before the element exists.
    const el = document.createElement('late-reset-panel') as ClientResetPanel;
    el.setAttribute('api-base', API_BASE);
    el.setAttribute('client-id', client.id);
    el.token = await staffToken();
    document.body.append(el);
    try {
      customElements.define('late-reset-panel', class extends ClientResetPanel {});
      expect(el).to.be.instanceOf(ClientResetPanel);
      await waitUntil(
        () => el.shadowRoot?.querySelector('h2')?.textContent === 'Ana Alvarez',
        'the panel did not load the client with the token set before it was defined',
      );
      expect(el.token).to.be.a('string').and.not.equal('');
    } finally {
      el.remove();
    }
  });

  it('keeps attributes and properties in step, and renders once per batch of changes', async () => {
    const el = await fixture<ForceResetDialog>(
      html`<force-reset-dialog api-base=${API_BASE} mode="change"></force-reset-dialog>`,
    );
    expect(el.mode, 'attribute to property').to.equal('change');
    expect(el.open).to.equal(false);
    el.setAttribute('open', '');
    expect(el.open, 'a boolean attribute').to.equal(true);
    await el.updateComplete;
    expect(el.querySelector('dialog')!.open, 'rendered by the time updateComplete resolves').to.equal(true);
    el.close();
    await el.updateComplete;
    expect(el.hasAttribute('open'), 'the open attribute follows the property').to.equal(false);
    expect(el.querySelector('dialog')!.open).to.equal(false);
  });
});
