/**
 * DOM and API helpers shared by the member-element tests (`<forgot-password-form>`,
 * `<force-reset-dialog>`): finding controls the way a user does (by label, by button text),
 * typing through the real keyboard, watching the requests an element sends, and calling the
 * real API from the test page.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';

/** The text of a node as a person reads it: whitespace collapsed. */
export const textOf = (node: Element | null | undefined): string =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Polls until `probe` gives something truthy; fails with what was awaited (and `state()`, if given). */
export async function waitFor<T>(
  probe: () => T | null | undefined | false,
  what: string,
  state?: () => string,
  timeout = 5000,
): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = probe();
    if (value) return value;
    if (performance.now() - start > timeout) {
      throw new Error(`timed out waiting for ${what}${state ? `; the element shows: "${state()}"` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** Waits until `el` shows `needle` in its text. */
export function waitForText(el: Element, needle: string, timeout = 5000): Promise<true> {
  return waitFor(
    () => textOf(el).includes(needle),
    `"${needle}"`,
    () => textOf(el),
    timeout,
  );
}

/** The form control a `<label>` with exactly this text is bound to (fails when there is none). */
export function byLabel(root: ParentNode, label: string): HTMLInputElement {
  const labels = [...root.querySelectorAll('label')].filter((candidate) => textOf(candidate) === label);
  if (labels.length !== 1) throw new Error(`expected one label "${label}", found ${labels.length}`);
  const control = labels[0].control;
  if (!(control instanceof HTMLInputElement)) throw new Error(`label "${label}" names no input`);
  return control;
}

/** The control a label names, or null. */
export function maybeByLabel(root: ParentNode, label: string): HTMLInputElement | null {
  const found = [...root.querySelectorAll('label')].find((candidate) => textOf(candidate) === label);
  const control = found?.control;
  return control instanceof HTMLInputElement ? control : null;
}

/** The one button whose text is exactly `name`. */
export function button(root: ParentNode, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll('button')].filter((candidate) => textOf(candidate) === name);
  if (found.length !== 1) {
    const names = [...root.querySelectorAll('button')].map((b) => `"${textOf(b)}"`).join(', ');
    throw new Error(`expected one button "${name}", found ${found.length} among ${names}`);
  }
  return found[0];
}

export function maybeButton(root: ParentNode, name: string): HTMLButtonElement | null {
  return [...root.querySelectorAll('button')].find((candidate) => textOf(candidate) === name) ?? null;
}

/** The element's alert region (errors). */
export function alertOf(root: ParentNode): HTMLElement {
  const alert = root.querySelector<HTMLElement>('[role="alert"]');
  if (!alert) throw new Error('no role=alert region');
  return alert;
}

/** Sets a field as if typed at once (one `input` event): for tests about something else than typing. */
export function fill(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Focuses the field and types into it through the real keyboard. */
export async function typeInto(input: HTMLInputElement, value: string): Promise<void> {
  input.focus();
  await sendKeys({ type: value });
}

export const press = (key: string) => sendKeys({ press: key });
export const type = (value: string) => sendKeys({ type: value });

/** The ids an element's aria-describedby names, and the text of each. */
export function descriptionOf(control: Element): { ids: string[]; text: string } {
  const ids = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  const text = ids.map((id) => textOf(document.getElementById(id))).join(' ');
  return { ids, text };
}

/** The state a rule of the live checklist shows (`met`, `unmet`, `pending`). */
export function ruleState(root: ParentNode, rule: string): string | null {
  return root.querySelector(`[data-rule="${rule}"]`)?.getAttribute('data-state') ?? null;
}

export interface SentRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
  authorization: string | null;
  /** The `Accept-Language` the element sent. */
  language: string | null;
}

/** Records every fetch the page makes to /api/ (still sent to the real server). */
export function spyOnApi(): { requests: SentRequest[]; restore: () => void } {
  const original = window.fetch;
  const requests: SentRequest[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.pathname.startsWith('/api/')) {
      const headers = new Headers(init?.headers);
      requests.push({
        method: (init?.method ?? 'GET').toUpperCase(),
        path: url.pathname + url.search,
        body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null,
        authorization: headers.get('authorization'),
        language: headers.get('accept-language'),
      });
    }
    return original.call(window, input, init);
  };
  return { requests, restore: () => (window.fetch = original) };
}

/** A call to the real API from the test page, the way an integrator's page would make it. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<{ status: number; json: T }> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

/** POST /api/login; resolves to the answer's JSON. */
export async function login(
  identifier: string,
  password: string,
): Promise<{
  status: number;
  json: { status?: string; session?: string; challenge?: string; error?: { code: string } };
}> {
  return api('POST', '/api/login', { body: { identifier, password } });
}

/** Puts `#token=…` in the address bar without navigating, as arriving from a mailed link does. */
export function setFragmentToken(token: string): void {
  history.replaceState(history.state, '', `${location.pathname}${location.search}#token=${token}`);
}

export function clearFragment(): void {
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
}

/** Collects the named events that reach `document` (so they bubble out of the element). */
export function collectEvents(names: string[]): { events: CustomEvent[]; stop: () => void } {
  const events: CustomEvent[] = [];
  const listener = (event: Event) => events.push(event as CustomEvent);
  for (const name of names) document.addEventListener(name, listener);
  return {
    events,
    stop: () => names.forEach((name) => document.removeEventListener(name, listener)),
  };
}

/** A short, printable description of an element (chai would try to print the whole DOM). */
export function describeElement(node: Element | null): string {
  if (!node) return 'nothing';
  const id = node.id ? `#${node.id}` : '';
  const classes = node.classList.length ? `.${[...node.classList].join('.')}` : '';
  const text = textOf(node).slice(0, 60);
  return `<${node.tagName.toLowerCase()}${id}${classes}>${text ? ` "${text}"` : ''}`;
}

/** Fails unless `a` and `b` are the same node, naming both in the message. */
export function expectSame(a: Element | null, b: Element | null, what: string): void {
  if (a !== b) throw new Error(`${what}: expected ${describeElement(b)}, got ${describeElement(a)}`);
}

/** Waits (briefly) until focus is on `target`; fails naming where focus is instead. */
export async function expectFocus(target: Element | null, what: string, timeout = 1000): Promise<void> {
  const start = performance.now();
  while (document.activeElement !== target) {
    if (performance.now() - start > timeout) {
      throw new Error(
        `focus should be on ${what} (${describeElement(target)}), but is on ${describeElement(document.activeElement)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/**
 * The password-manager contract of every member new-password form: one real `<form>` holding a
 * hidden, read-only username field with the login, and exactly two new-password fields (new, confirm).
 */
export function expectPasswordManagerForm(el: Element, login: string): HTMLInputElement[] {
  const form = el.querySelector('form')!;
  const username = el.querySelector<HTMLInputElement>('input[autocomplete="username"]');
  expect(username !== null, 'a username field for the password manager').to.equal(true);
  expectSame(username!.form, form, 'the username sits in the form');
  expect(username!.value).to.equal(login);
  expect(username!.readOnly).to.equal(true);
  expect(username!.tabIndex).to.equal(-1);
  const passwords = [...form.querySelectorAll<HTMLInputElement>('input[autocomplete="new-password"]')];
  expect(passwords).to.have.length(2);
  expectSame(passwords[0], byLabel(el, 'New password'), 'the first new-password field');
  expectSame(passwords[1], byLabel(el, 'Confirm new password'), 'the second new-password field');
  return passwords;
}
