/**
 * The studio's member app: log in (the login shared with the hosted /login page), a forced reset
 * in `<force-reset-dialog>`, *Forgot password?* with `<forgot-password-form>`, and a small account
 * page with *Change password*. The session is kept in sessionStorage, so a reload stays logged in.
 */
import { connectMemberLogin, openPasswordChange } from '../../widget/pages/member-login.js';
import { api, DemoApiError } from '../lib/api.js';
import { loadClient } from '../lib/clients.js';
import { initShell, whenElements } from '../lib/shell.js';

initShell();

const TENANT = 'demo-studio';
const SESSION_KEY = 'demo.member.session';

interface StoredSession {
  session: string;
  identifier: string;
}

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const views = { login: $('#view-login'), forgot: $('#view-forgot'), account: $('#view-account') };
type View = keyof typeof views;
const dialog = document.querySelector('force-reset-dialog')!;

function stored(): StoredSession | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as StoredSession | null;
    return value?.session ? value : null;
  } catch {
    return null;
  }
}

function show(view: View, focus = true): void {
  $('#member-loading').hidden = true;
  for (const [name, section] of Object.entries(views)) section.hidden = name !== view;
  // Focus the new view's heading so a screen reader hears where it is.
  if (focus) views[view].querySelector<HTMLElement>('h1')?.focus();
}

/** The view the address asks for when nobody is logged in. */
const loggedOutView = (): View =>
  new URLSearchParams(location.search).get('view') === 'forgot' ? 'forgot' : 'login';

function go(view: 'login' | 'forgot'): void {
  const url = new URL(location.href);
  if (view === 'forgot') url.searchParams.set('view', 'forgot');
  else url.searchParams.delete('view');
  history.pushState(null, '', url);
  show(view);
}

/** Upcoming classes, for decoration: the next few days from today. */
function renderClasses(): void {
  const classes: [number, string, string, string][] = [
    [1, '07:00', 'HIIT Express', 'Studio B · Marco'],
    [2, '18:30', 'Vinyasa Flow', 'Studio A · Priya'],
    [4, '10:00', 'Spin & Core', 'Cycle room · Jess'],
  ];
  const day = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short' });
  $('#member-classes').replaceChildren(
    ...classes.map(([inDays, time, name, where]) => {
      const item = document.createElement('li');
      const what = document.createElement('span');
      what.innerHTML = '<strong></strong><br><span class="muted"></span>';
      what.querySelector('strong')!.textContent = name;
      what.querySelector('.muted')!.textContent = where;
      const when = document.createElement('span');
      when.className = 'when';
      when.textContent = `${day.format(new Date(Date.now() + inDays * 86_400_000))}, ${time}`;
      item.append(what, when);
      return item;
    }),
  );
}

/**
 * The greeting needs the member's name, which a session does not carry: a studio's app gets it
 * from its own backend; the demo asks the staff API on that backend's behalf.
 */
async function greet(identifier: string, clientId: string): Promise<void> {
  $('#member-name').textContent = identifier;
  $('#member-plan').textContent = '';
  try {
    const client = await loadClient(clientId);
    $('#member-name').textContent = client.name.split(/\s+/)[0];
    if (client.plan) $('#member-plan').textContent = `Your plan: ${client.plan}`;
  } catch {
    // The identifier they logged in with is greeting enough.
  }
}

/** The claims of a live session; null when the server says it is over (401). */
async function sessionClaims(session: string): Promise<{ sub: string } | null> {
  try {
    return await api<{ sub: string }>('/session', { token: session });
  } catch (error) {
    if (error instanceof DemoApiError && error.status === 401) return null;
    throw error;
  }
}

async function enterAccount(current: StoredSession, notice: string): Promise<void> {
  $('#account-notice').textContent = notice;
  renderClasses();
  show('account', !dialog.open);
  const claims = await sessionClaims(current.session).catch(() => null);
  if (claims) await greet(current.identifier, claims.sub);
}

function logOut(notice = ''): void {
  try {
    sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // site data blocked: nothing was kept
  }
  $('#login-notice').textContent = notice;
  history.replaceState(null, '', location.pathname);
  show('login');
}

const NOTICES = {
  login: '',
  forced: 'Your new password is set and you are logged in.',
  changed: 'Your password was changed. Every other device has been logged out.',
};

async function start(): Promise<void> {
  const form = $<HTMLFormElement>('#login-form');
  let connected = false;
  // Until the elements are there, a submit stays on the page and says why nothing happens.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!connected) $('#login-error').textContent = 'The page is still loading. Try again in a moment.';
  });
  await whenElements('force-reset-dialog', 'forgot-password-form');
  connected = true;
  connectMemberLogin({
    form,
    error: $('#login-error'),
    dialog,
    tenant: TENANT,
    apiBase: '/api',
    lang: document.documentElement.lang || 'en',
    networkError: 'The studio’s server cannot be reached. Please try again.',
    onSession(session, identifier, how) {
      const current = { session, identifier };
      try {
        sessionStorage.setItem(SESSION_KEY, JSON.stringify(current));
      } catch {
        // Site data blocked: the member stays logged in until the page is reloaded.
      }
      $('#login-notice').textContent = '';
      void enterAccount(current, NOTICES[how]);
    },
    onFocusLost() {
      Object.values(views)
        .find((view) => !view.hidden)
        ?.querySelector<HTMLElement>('h1')
        ?.focus();
    },
  });

  $('#forgot-link').addEventListener('click', (event) => {
    event.preventDefault();
    go('forgot');
  });
  $('#back-to-login').addEventListener('click', (event) => {
    event.preventDefault();
    go('login');
  });
  addEventListener('popstate', () => {
    if (!stored()) show(loggedOutView());
  });
  $('#change-password').addEventListener('click', () => {
    const current = stored();
    if (current) openPasswordChange(dialog, current.session, current.identifier);
  });
  $('#log-out').addEventListener('click', () => logOut('You are logged out.'));

  const current = stored();
  if (!current) return show(loggedOutView(), false);
  let claims: { sub: string } | null;
  try {
    claims = await sessionClaims(current.session);
  } catch {
    // Server unreachable: stay logged in as far as this page knows.
    return void enterAccount(current, '');
  }
  if (!claims) return logOut('Your session has ended. Please log in again.');
  $('#account-notice').textContent = '';
  renderClasses();
  show('account', false);
  await greet(current.identifier, claims.sub);
}

void start();
