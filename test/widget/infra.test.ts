/** The browser test setup itself: the real API behind the page, the test routes, Lit and axe. */
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  advanceClock,
  GOOD_PASSWORD,
  outbox,
  resetServer,
  seedClient,
  setPassword,
  tokenFromMail,
} from './helpers.js';

/** Decorators as the elements use them: they only work with the root tsconfig's settings. */
@customElement('infra-probe')
class InfraProbe extends LitElement {
  @property() label = 'Email';

  override render() {
    return html`<form>
      <label for="email">${this.label}</label><input id="email" type="email" autocomplete="email" />
      <button type="submit">Send</button>
    </form>`;
  }
}

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

  it('renders a Lit element with reactive decorated properties, and axe accepts it', async () => {
    const el = await fixture<InfraProbe>(html`<infra-probe></infra-probe>`);
    expect(el.shadowRoot!.querySelector('label')!.textContent).to.equal('Email');
    el.label = 'Email address';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('label')!.textContent).to.equal('Email address');
    await expect(el).to.be.accessible();
  });
});
