/**
 * The hosted pages members arrive at from a mail: /forgot, /reset, /welcome, /verify-email and
 * /login, in the tenant's name, colours and language (`?tenant=` in the link; not a secret), and
 * the /login page's script. Only this server's scripts run on them: a strict CSP (the one inline
 * style carries a nonce), no referrer, never cached, never framed.
 */
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { describeError } from '../background.js';
import type { Deps } from '../deps.js';
import type { Tenant } from '../domain.js';
import { builtOrUnavailable, serveBuilt, type BuiltFiles } from '../http/built-files.js';
import { requestLocale } from '../http/locale.js';
import { spokenLocale } from '../locales/index.js';
import { renderHostedPage } from '../pages/hosted-page.js';
import type { HostedPage } from '../pages/hosted-paths.js';

const PAGES: readonly HostedPage[] = ['forgot', 'reset', 'welcome', 'verify-email', 'login'];
/** Any id provisioning accepted is looked up; what the page shows of it is escaped. */
const MAX_TENANT_ID = 200;

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    // A tenant's logo may live on its own site.
    "img-src 'self' https: data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function pageTenant(deps: Deps, c: Context): Promise<Tenant | null> {
  const id = c.req.query('tenant');
  if (!id || id.length > MAX_TENANT_ID) return null;
  try {
    return await deps.store.getTenant(id);
  } catch (error) {
    // The page still works without the branding; the elements report the storage fault themselves.
    deps.logger.warn({ err: describeError(error) }, 'hosted page without tenant: storage failed');
    return null;
  }
}

export function pageRoutes(deps: Deps, bundle: () => Promise<BuiltFiles>) {
  const app = new Hono();
  for (const page of PAGES) {
    app.get(`/${page}`, async (c) => {
      const tenant = await pageTenant(deps, c);
      const nonce = randomBytes(16).toString('base64');
      c.header('Content-Security-Policy', contentSecurityPolicy(nonce));
      c.header('Cache-Control', 'no-store');
      return c.html(
        renderHostedPage({
          page,
          tenant,
          locale: tenant ? spokenLocale(tenant.locale) : requestLocale(c.req.header('Accept-Language')),
          mountPath: deps.config.mountPath,
          apiBase: deps.config.mountPath + deps.config.basePath,
          nonce,
        }),
      );
    });
  }
  app.get('/pages/hosted-login.js', async (c) => {
    const files = await builtOrUnavailable(c, bundle, deps.logger, 'The page script');
    if (files instanceof Response) return files;
    const file = files.get('hosted-login.js');
    if (!file) return c.notFound();
    // Not content-hashed: revalidate every time (cheap, 304 with the ETag).
    return serveBuilt(c, file, 'no-cache');
  });
  return app;
}
