/**
 * The script of the hosted /login page (served at /pages/hosted-login.js): wires the server-rendered
 * markup to the member login. Every sentence it shows is in the page already (data attributes),
 * in the tenant's language; the session lives in this page only.
 */
import type { ForceResetDialog } from '../force-reset-dialog/force-reset-dialog.js';
import { connectMemberLogin, openPasswordChange } from './member-login.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const signIn = byId('sign-in');
const signedIn = byId('signed-in');
const dialog = byId<ForceResetDialog>('password-dialog');
const status = byId('signed-in-status');
const lang = document.documentElement.lang || 'en';
let session = '';
let who = '';

function show(section: HTMLElement): void {
  signIn.hidden = section !== signIn;
  signedIn.hidden = section !== signedIn;
  section.querySelector<HTMLElement>('h1')?.focus();
}

const form = byId<HTMLFormElement>('login-form');
// Served hidden: without this script a submit would put the password in the address bar.
form.hidden = false;

connectMemberLogin({
  form,
  error: byId('login-error'),
  dialog,
  tenant: signIn.dataset.tenant || undefined,
  apiBase: signIn.dataset.apiBase!,
  lang,
  networkError: signIn.dataset.networkError!,
  onSession(fresh, identifier, how) {
    session = fresh;
    who = identifier;
    byId('who').textContent = identifier;
    status.textContent = how === 'login' ? '' : signedIn.dataset.passwordChanged!;
    show(signedIn);
  },
  onFocusLost() {
    (signIn.hidden ? signedIn : signIn).querySelector<HTMLElement>('h1')?.focus();
  },
});

byId('change-password').addEventListener('click', () => openPasswordChange(dialog, session, who));
byId('log-out').addEventListener('click', () => {
  session = who = '';
  status.textContent = '';
  show(signIn);
});
