import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, GOOD_PASSWORD, tokenFromMail, type TestApp } from '../helpers/app.js';

describe('smoke', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('forgot → mail → reset → login', async () => {
    const account = await t.seedClient({ password: 'old-password-quartz-1', email: 'sam@example.com' });
    const res = await t.post('/api/forgot', { identifier: 'sam@example.com' });
    expect(res.status).toBe(202);
    const [mail] = await t.mailsTo('sam@example.com');
    const token = tokenFromMail(mail);
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
    const reset = await t.post('/api/reset', { token, password: GOOD_PASSWORD });
    expect(reset.status).toBe(200);
    const again = await t.post('/api/reset', { token, password: GOOD_PASSWORD });
    expect(await again.json()).toMatchObject({ error: { code: 'link_used' } });
    const login = await t.post('/api/login', { identifier: 'sam@example.com', password: GOOD_PASSWORD });
    expect(await login.json()).toMatchObject({ status: 'ok' });
    expect(account.id).toBeTruthy();
  });
});
