/**
 * The markup of the hosted pages (/forgot, /reset, /welcome, /verify-email, /login): a small page
 * around the elements with the tenant's name, colours and language. Everything interpolated is
 * escaped by Hono's `html`; the one inline `<style>` carries the response's CSP nonce.
 */
import { html, raw } from 'hono/html';
import type { Locale, Tenant } from '../domain.js';
import { brandColours } from '../brand-colours.js';
import { serverText } from '../locales/index.js';
import type { PageText } from '../locales/server-text.js';
import { hostedPagePath, type HostedPage } from './hosted-paths.js';

export interface PageModel {
  page: HostedPage;
  /** The known tenant the page speaks for, or null (generic portal). */
  tenant: Tenant | null;
  locale: Locale;
  /** Where the app is mounted ('' at the root, `/auth` under a prefix): the page's own links start with it. */
  mountPath: string;
  /** The API base the elements call, e.g. `/api` or `/auth/api`. */
  apiBase: string;
  nonce: string;
}

function logoUrl(tenant: Tenant | null): string | null {
  const url = tenant?.brand?.logoUrl;
  return url && /^https?:\/\//i.test(url) ? url : null;
}

function theme(tenant: Tenant | null): string {
  const { accent, accentText, link } = brandColours(tenant?.brand, { accent: '#2563eb', link: '#1d4ed8' });
  return `:root{--reset-accent:${accent};--reset-accent-text:${accentText};--reset-link:${link};--brand:${accent};--brand-text:${accentText}}`;
}

const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;background:#f4f5f7;color:#1f2328;
  font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.brand{background:var(--brand);color:var(--brand-text);padding:.9rem 1.25rem;display:flex;align-items:center;gap:.75rem;
  font-weight:600;font-size:1.1rem}
.brand img{height:2rem;width:auto}
main{width:100%;max-width:28rem;margin:2.5rem auto;padding:1.75rem;background:#fff;border-radius:12px;
  box-shadow:0 1px 3px rgb(0 0 0/.08),0 8px 24px rgb(0 0 0/.06)}
@media (max-width:32rem){main{margin:0;border-radius:0;box-shadow:none}}
h1{font-size:1.4rem;margin:0 0 1rem}
h1:focus{outline:none}
section label{display:block;font-weight:500;margin:.9rem 0 .3rem}
section input{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #c9ced6;border-radius:8px}
section input:focus-visible,section button:focus-visible,a:focus-visible{outline:3px solid color-mix(in srgb,var(--brand) 45%,transparent);outline-offset:2px}
section button{font:inherit;font-weight:600;padding:.6rem 1.1rem;border-radius:8px;border:1px solid var(--brand);
  background:var(--brand);color:var(--brand-text);cursor:pointer;margin-top:1rem}
section button.secondary{background:#fff;color:#1f2328;border-color:#c9ced6}
section button:disabled{opacity:.6;cursor:progress}
.error{color:#b42318;margin:.75rem 0 0}
.error:empty,.status:empty{display:none}
.status{color:#067647}
a{color:var(--reset-link)}
.more{margin-top:1.25rem}
footer{text-align:center;color:#656d76;font-size:.875rem;padding:1rem}

noscript p{background:#fff4e5;padding:.75rem;border-radius:8px}
`;

function loginBody(model: PageModel, t: PageText) {
  const tenant = model.tenant?.id ?? '';
  return html`<section
      id="sign-in"
      aria-labelledby="sign-in-title"
      data-tenant="${tenant}"
      data-api-base="${model.apiBase}"
      data-network-error="${t.networkError}"
    >
      <h1 id="sign-in-title" tabindex="-1">${t.titles.login}</h1>
      <form id="login-form" method="post" hidden>
        <label for="identifier">${t.identifier}</label>
        <input
          id="identifier"
          name="identifier"
          autocomplete="username"
          required
          autocapitalize="none"
          spellcheck="false"
        />
        <label for="password">${t.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <p id="login-error" class="error" role="alert"></p>
        <button type="submit">${t.logIn}</button>
      </form>
      <p class="more">
        <a href="${model.mountPath + hostedPagePath('forgot', model.tenant)}">${t.forgotPassword}</a>
      </p>
    </section>
    <section
      id="signed-in"
      aria-labelledby="signed-in-title"
      data-password-changed="${t.passwordChanged}"
      hidden
    >
      <h1 id="signed-in-title" tabindex="-1">${t.signedInTitle}</h1>
      <p>${t.signedInAs} <strong id="who"></strong></p>
      <p id="signed-in-status" class="status" role="status"></p>
      <button type="button" id="change-password">${t.changePassword}</button>
      <button type="button" id="log-out" class="secondary">${t.logOut}</button>
    </section>
    <force-reset-dialog
      id="password-dialog"
      tenant="${tenant}"
      api-base="${model.apiBase}"
    ></force-reset-dialog>`;
}

function formBody(model: PageModel, t: PageText) {
  // The element brings its own heading, which follows its state (a dead link, the code, done). On a
  // link's page it reads the token from the fragment and removes it from the address bar.
  return html`<forgot-password-form
      tenant="${model.tenant?.id ?? ''}"
      api-base="${model.apiBase}"
      login-url="${model.mountPath + hostedPagePath('login', model.tenant)}"
    ></forgot-password-form>
    <p class="more">
      <a href="${model.mountPath + hostedPagePath('login', model.tenant)}">${t.backToLogin}</a>
    </p>`;
}

export function renderHostedPage(model: PageModel) {
  const t = serverText[model.locale].pages;
  const name = model.tenant?.name ?? t.portal;
  const logo = logoUrl(model.tenant);
  const script =
    model.page === 'login'
      ? html`<script type="module" src="${model.mountPath}/pages/hosted-login.js"></script>`
      : '';
  return html`<!doctype html>
    <html lang="${model.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>${t.titles[model.page]} · ${name}</title>
        <style nonce="${model.nonce}">
          ${raw(theme(model.tenant))}${raw(PAGE_CSS)}
        </style>
        <script type="module" src="${model.mountPath}/widget.js"></script>
        ${script}
      </head>
      <body>
        <header class="brand">${logo ? html`<img src="${logo}" alt="" />` : ''}<span>${name}</span></header>
        <main>
          <noscript><p>${t.needsScript}</p></noscript>
          ${model.page === 'login' ? loginBody(model, t) : formBody(model, t)}
        </main>
      </body>
    </html>`;
}
