/**
 * Helpers for the `<client-reset-panel>` browser tests: a fixture that waits for the client to
 * load, queries into the shadow root by visible label, a log of the API requests the element
 * sends (through a `fetch` wrapper, the responses still come from the real server), event capture
 * and a login call.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../../widget/client-reset-panel/client-reset-panel.js';
import type { ClientResetPanel } from '../../widget/client-reset-panel/client-reset-panel.js';
import type { ResetEventMap } from '../../widget/internal/events.js';
import { API_BASE, staffToken } from './helpers.js';

export type { ClientResetPanel };

/** `waitUntil` with room for a real request (password hashing included). */
export const until = (predicate: () => unknown, message?: string): Promise<void> =>
  waitUntil(predicate, message, { timeout: 4000 });

/** Text content with whitespace collapsed. */
export const txt = (node: Node | null | undefined): string =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

export const shadow = (el: ClientResetPanel): ShadowRoot => el.shadowRoot!;

export function $<T extends Element = HTMLElement>(el: ClientResetPanel, selector: string): T | null {
  return shadow(el).querySelector<T>(selector);
}

export function $$<T extends Element = HTMLElement>(el: ClientResetPanel, selector: string): T[] {
  return [...shadow(el).querySelectorAll<T>(selector)];
}

export const dialogOf = (el: ClientResetPanel): HTMLDialogElement => $<HTMLDialogElement>(el, 'dialog')!;

/** The lock dialog once its code has loaded (it is fetched when a client is shown). */
export async function loadedDialog(el: ClientResetPanel): Promise<HTMLDialogElement> {
  await waitUntil(() => $(el, 'dialog'), 'the lock dialog did not load', { timeout: 5000 });
  return dialogOf(el);
}

/**
 * A short, serialisable name for an element (`button "Copy"`, `input#rst1-temp`): assertions
 * compare these, never elements, which the test runner cannot send back from the browser.
 */
export function who(node: Element | null | undefined): string {
  if (!node) return '(nothing)';
  const tag = node.tagName.toLowerCase();
  const id = node.id ? `#${node.id}` : '';
  const text = txt(node).slice(0, 40);
  return `${tag}${id}${text ? ` "${text}"` : ''}`;
}

/** What has focus inside the panel's shadow root, as `who()` names it. */
export const focused = (el: ClientResetPanel): string => who(shadow(el).activeElement);

/** A button by its visible text (🔒 ignored) or its aria-label; throws when there is none. */
export function button(scope: ParentNode, label: string): HTMLButtonElement {
  const all = [...scope.querySelectorAll<HTMLButtonElement>('button')];
  const name = (b: HTMLButtonElement) => txt(b).replace('🔒', '').trim();
  const found =
    all.find((b) => name(b) === label || b.getAttribute('aria-label') === label) ??
    all.find((b) => name(b).includes(label));
  if (!found) throw new Error(`no button "${label}" among: ${all.map(name).join(' | ')}`);
  return found;
}

export function maybeButton(scope: ParentNode, label: string): HTMLButtonElement | null {
  try {
    return button(scope, label);
  } catch {
    return null;
  }
}

/** The form control a `<label>` with this text points at; throws when there is none. */
export function control(
  el: ClientResetPanel,
  label: string,
  scope: ParentNode = shadow(el),
): HTMLInputElement {
  const labels = [...scope.querySelectorAll('label')];
  const found = labels.find((l) => txt(l) === label);
  if (!found) throw new Error(`no label "${label}" among: ${labels.map(txt).join(' | ')}`);
  const input = shadow(el).getElementById(found.htmlFor);
  if (!(input instanceof HTMLInputElement)) throw new Error(`label "${label}" points at no input`);
  return input;
}

export const badges = (scope: ParentNode | null): string[] =>
  [...(scope?.querySelectorAll('[part~=badge]') ?? [])].map(txt);

/** The text of the elements an element's aria-describedby names. */
export function description(el: ClientResetPanel, target: Element): string {
  const ids = (target.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids.map((id) => txt(shadow(el).getElementById(id))).join(' ');
}

/** Sets a field's value as typing would, with the `input` event the element listens to. */
export function fill(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** The rule checklist: `{min_length: 'unmet', …}`. */
export function ruleStates(el: ClientResetPanel): Record<string, string | null> {
  return Object.fromEntries(
    $$(el, 'dialog [data-rule]').map((li) => [li.dataset.rule!, li.dataset.state ?? null]),
  );
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  auth: string | null;
  status?: number;
}

/** Records every request to `/api/` (method, path, JSON body, Authorization, status) and counts those in flight. */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  private pending = 0;
  private readonly original = window.fetch;

  install(): this {
    const original = this.original;
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const href = input instanceof Request ? input.url : String(input);
      const url = new URL(href, location.href);
      if (!url.pathname.startsWith('/api/')) return original(input, init);
      const headers = new Headers(init?.headers);
      const entry: RecordedRequest = {
        method: (init?.method ?? 'GET').toUpperCase(),
        path: url.pathname + url.search,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
        auth: headers.get('authorization'),
      };
      this.requests.push(entry);
      this.pending++;
      try {
        const response = await original(input, init);
        entry.status = response.status;
        return response;
      } finally {
        this.pending--;
      }
    };
    return this;
  }

  restore(): void {
    window.fetch = this.original;
  }

  clear(): void {
    this.requests.length = 0;
  }

  /** Requests whose method matches and whose path starts with `prefix`. */
  find(method: string, prefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
  }

  /** Waits until no request is in flight and the element has rendered what came back. */
  async idle(el: ClientResetPanel): Promise<void> {
    for (let round = 0; round < 3; round++) {
      await waitUntil(() => this.pending === 0, 'requests still in flight', { timeout: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 15));
      await el.updateComplete;
    }
  }
}

/** Every `reset-*` event that reached the document, with its detail and flags. */
export function captureEvents(): {
  events: Array<{ type: keyof ResetEventMap; detail: unknown; bubbles: boolean; composed: boolean }>;
  stop: () => void;
  of: <K extends keyof ResetEventMap>(type: K) => Array<ResetEventMap[K]>;
} {
  const names: Array<keyof ResetEventMap> = [
    'reset-sent',
    'reset-complete',
    'reset-password-set',
    'reset-client-updated',
    'reset-client-select',
    'reset-email-verified',
    'reset-error',
  ];
  const events: Array<{ type: keyof ResetEventMap; detail: unknown; bubbles: boolean; composed: boolean }> =
    [];
  const listener = (event: Event) =>
    events.push({
      type: event.type as keyof ResetEventMap,
      detail: (event as CustomEvent).detail,
      bubbles: event.bubbles,
      composed: event.composed,
    });
  for (const name of names) document.addEventListener(name, listener);
  return {
    events,
    stop: () => {
      for (const name of names) document.removeEventListener(name, listener);
    },
    of: <K extends keyof ResetEventMap>(type: K) =>
      events.filter((e) => e.type === type).map((e) => e.detail as ResetEventMap[K]),
  };
}

export interface PanelOptions {
  token?: string;
  getToken?: () => string | Promise<string>;
  lang?: string;
}

/** `<client-reset-panel client-id>` with a staff token, once the client's heading is shown. */
export async function clientPanel(clientId: string, options: PanelOptions = {}): Promise<ClientResetPanel> {
  const token = options.token ?? (options.getToken ? '' : await staffToken());
  const el = await fixture<ClientResetPanel>(
    html`<client-reset-panel
      api-base=${API_BASE}
      client-id=${clientId}
      lang=${ifDefined(options.lang)}
      .token=${token}
      .getToken=${options.getToken}
    ></client-reset-panel>`,
  );
  await waitUntil(() => $(el, 'h2') && $(el, 'section h3'), 'the client did not load', { timeout: 5000 });
  return el;
}

/** `<client-reset-panel>` without `client-id`: the client list, once `rows` rows are shown. */
export async function listPanel(rows: number, options: PanelOptions = {}): Promise<ClientResetPanel> {
  const token = options.token ?? (await staffToken());
  const el = await fixture<ClientResetPanel>(
    html`<client-reset-panel
      api-base=${API_BASE}
      lang=${ifDefined(options.lang)}
      .token=${token}
    ></client-reset-panel>`,
  );
  await waitUntil(() => $$(el, 'tbody tr').length === rows, `the list did not show ${rows} rows`, {
    timeout: 5000,
  });
  return el;
}

/** Opens the lock dialog of a client panel and waits for the first field to take focus. */
export async function openLock(el: ClientResetPanel): Promise<HTMLDialogElement> {
  button(shadow(el), 'Reset password').click();
  // The dialog's code loads once a client is shown, so it may still be on its way.
  await waitUntil(() => dialogOf(el)?.open, 'the dialog did not open');
  await el.updateComplete;
  return dialogOf(el);
}

/** The panel's date format, for comparing issued/expires times. */
export function shownDate(value: number | string, lang = 'en'): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

/** POST /api/login as a member would: status and body. */
export async function login(
  identifier: string,
  password: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A staff API call made by the test itself (not the element). */
export async function staffCall(path: string, method = 'GET', body?: unknown): Promise<Response> {
  return fetch(`/api/admin${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await staffToken()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
