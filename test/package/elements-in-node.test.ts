/**
 * The element modules imported where there is no DOM: a server-side render, a Next.js or Nuxt
 * server build, a unit test in Node. Importing must not throw, and a second copy of a module (two
 * bundles of one page, or a module loaded twice by a server build) must not throw either.
 */
import { describe, expect, it } from 'vitest';

const MODULES = {
  'client-reset-panel': '../../widget/client-reset-panel/client-reset-panel.js',
  'forgot-password-form': '../../widget/forgot-password-form/forgot-password-form.js',
  'force-reset-dialog': '../../widget/force-reset-dialog/force-reset-dialog.js',
};

describe('the elements in Node', () => {
  it('import without a DOM and register their tags', async () => {
    expect(typeof document).toBe('undefined');
    const all = await import('../../widget/index.js');
    expect(customElements.get('client-reset-panel')).toBe(all.ClientResetPanel);
    expect(customElements.get('forgot-password-form')).toBe(all.ForgotPasswordForm);
    expect(customElements.get('force-reset-dialog')).toBe(all.ForceResetDialog);
  });

  it('a second copy of each module loads beside the first without throwing', async () => {
    for (const [tag, path] of Object.entries(MODULES)) {
      const first = customElements.get(tag);
      // A query makes it a separate module instance: its class is new, its define must not throw.
      await expect(import(`${path}?copy`)).resolves.toBeDefined();
      expect(customElements.get(tag)).toBe(first);
    }
  });
});
