/** Builds the Mailer the flows use: real delivery over SMTP, or an outbox kept in the store for demos and tests. */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type nodemailerModule from 'nodemailer';
import type { Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { OutboxMessage } from '../domain.js';
import { isAppError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Mailer, MailRequest, RenderedMail } from './mailer.js';
import { renderMail } from './templates.js';

export interface CreateMailerOptions {
  mode: 'outbox' | 'smtp';
  /** Sender address, e.g. `noreply@example.com`. A display name in it is replaced by the tenant's name. */
  from: string;
  /** Required in smtp mode: `smtp://user:pass@host:587` or `smtps://…`. */
  smtpUrl?: string;
  store: Store;
  clock: { now(): number };
  /**
   * SMTP connection, greeting and socket-inactivity timeout in ms (default 10 s), so a dead or
   * silent server fails the send instead of holding the request. A whole send, including the
   * wait in the pool's queue, is cut off after three times this.
   */
  timeoutMs?: number;
}

/**
 * Why a send failed, as far as it can be told without leaking anything: the nodemailer error
 * code, the SMTP reply code and the command. The server's reply text and the original error
 * are left out on purpose, as loggers print both and a reply may quote the message.
 */
export class MailSendError extends Error {
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  readonly command: string | undefined;
  /** True when the server refused for good (5xx), false when a retry may succeed, undefined when unknown. */
  readonly permanent: boolean | undefined;

  constructor(
    message: string,
    facts: { code?: string; responseCode?: number; command?: string; permanent?: boolean } = {},
  ) {
    super(message);
    this.name = 'MailSendError';
    this.code = facts.code;
    this.responseCode = facts.responseCode;
    this.command = facts.command;
    this.permanent = facts.permanent;
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

interface Address {
  name: string;
  address: string;
}

export function createMailer(options: CreateMailerOptions): Mailer {
  const sender = parseSingleAddress(options.from);
  if (!sender) throw new Error('createMailer: `from` must be exactly one email address');
  return options.mode === 'smtp' ? smtpMailer(options, sender) : outboxMailer(options, sender);
}

/**
 * A transport made at the first mail, with nodemailer loaded then: at start it would be a tenth
 * of the server's start-up, for a mail that may come hours later. `close` closes it only if made.
 */
function lazyTransport(options: Parameters<typeof nodemailerModule.createTransport>[0]) {
  let made: Transporter | null = null;
  return {
    get: () =>
      (made ??= (createRequire(import.meta.url)('nodemailer') as typeof nodemailerModule).createTransport(
        options,
      )),
    close: () => made?.close(),
  };
}

function smtpMailer(options: CreateMailerOptions, sender: Address): Mailer {
  if (!options.smtpUrl) throw new Error('createMailer: smtp mode needs smtpUrl');
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = lazyTransport({
    url: options.smtpUrl,
    pool: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Every field is a string we rendered; never let one be read as a file path or URL to fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(request) {
      const message = compose(request, sender, options.clock.now());
      try {
        // The socket timeouts do not notice a server that trickles its replies; this does.
        await transport.get().sendMail({ ...message, signal: AbortSignal.timeout(3 * timeout) });
      } catch (error) {
        throw toSendError(error);
      }
    },
    verify: cachedFor(VERIFY_CACHE_MS, async () => {
      try {
        await transport.get().verify();
      } catch (error) {
        throw toSendError(error);
      }
    }),
    async close() {
      transport.close();
    },
  };
}

/** Readiness probes come every few seconds; one SMTP round trip answers them all for a while. */
const VERIFY_CACHE_MS = 10_000;

/** `check`, run at most once per `ms`: later calls share its last outcome (failures included). */
function cachedFor(ms: number, check: () => Promise<void>): () => Promise<void> {
  let last: { at: number; outcome: Promise<void> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ms) last = { at: now, outcome: check() };
    return last.outcome;
  };
}

/** The fields of jsonTransport's output that the outbox keeps. */
interface BuiltMessage {
  from?: Address;
  to?: Address[];
  subject?: string;
  text?: string;
  html?: string;
}

function outboxMailer(options: CreateMailerOptions, sender: Address): Mailer {
  // Goes through nodemailer like smtp mode (same message options, same normalisation), but only
  // builds the message; the outbox then keeps it for the demo page and tests to read.
  const transport = lazyTransport({
    jsonTransport: true,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(request) {
      const now = options.clock.now();
      const message = compose(request, sender, now);
      let built: BuiltMessage;
      try {
        const info = await transport.get().sendMail(message);
        built = JSON.parse(info.message) as BuiltMessage;
      } catch (error) {
        throw toSendError(error);
      }
      const entry: OutboxMessage = {
        id: randomUUID(),
        at: now,
        kind: request.content.kind,
        tenantId: request.tenant.id,
        clientId: request.clientId,
        from: formatAddress(built.from ?? message.from),
        to: built.to?.[0]?.address ?? message.to,
        subject: built.subject ?? message.subject,
        text: built.text ?? message.text,
        html: built.html ?? message.html,
      };
      try {
        await options.store.addToOutbox(entry);
      } catch (error) {
        // The store's own errors are already safe to show and say what went wrong.
        if (isAppError(error)) throw error;
        throw new MailSendError('Mail could not be stored in the outbox');
      }
    },
    // The outbox is the store, which the readiness check asks on its own.
    async verify() {},
    async close() {
      transport.close();
    },
  };
}

interface ComposedMessage extends RenderedMail {
  from: Address;
  to: string;
  headers: Record<string, string>;
}

function compose(request: MailRequest, sender: Address, now: number): ComposedMessage {
  const to = parseSingleAddress(request.to);
  // One mail goes to one member: a list or a group here would copy a secret to someone else.
  if (!to)
    throw new MailSendError('Mail could not be sent: the recipient is not one email address', {
      code: 'EADDRESS',
    });
  const rendered = renderMail(request.content, request.tenant, { now });
  const tenantName = request.tenant.name.replace(/[\r\n\t]+/g, ' ').trim();
  return {
    // The object form lets nodemailer quote or encode the name, so quotes, commas or accents in
    // a tenant name cannot break the From header.
    from: { name: tenantName || sender.name, address: sender.address },
    to: to.address,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    // RFC 3834: tells autoresponders (vacation replies) not to answer.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

function parseSingleAddress(value: string): Address | null {
  if (/[\r\n]/.test(value)) return null;
  const parsed = addressparser(value, { flatten: true });
  if (parsed.length !== 1) return null;
  const [only] = parsed;
  if (!only.address || !/^[^@\s]+@[^@\s]+$/.test(only.address)) return null;
  return { name: only.name, address: only.address };
}

/** `"Name" <address>` for the outbox, quoted like the header nodemailer writes. */
function formatAddress(address: Address): string {
  if (!address.name) return address.address;
  return `"${address.name.replace(/["\\]/g, '\\$&')}" <${address.address}>`;
}

function toSendError(error: unknown): MailSendError {
  if (error instanceof MailSendError) return error;
  const source = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  // Only values of a known, harmless shape are copied: no reply text, no addresses, no data.
  const code = pick(source.code, /^[A-Z][A-Z0-9_]{1,30}$/);
  const command = pick(source.command, /^[A-Z]{2,10}( [A-Z]{2,10})?$/);
  const timeoutType = pick(source.timeoutType, /^[A-Z_]{1,30}$/);
  const responseCode =
    typeof source.responseCode === 'number' && Number.isInteger(source.responseCode)
      ? source.responseCode
      : undefined;
  const permanent = typeof source.permanent === 'boolean' ? source.permanent : undefined;
  const facts = [code, responseCode, command, timeoutType].filter((fact) => fact !== undefined);
  return new MailSendError(`Mail could not be sent${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`, {
    code,
    responseCode,
    command,
    permanent,
  });
}

function pick(value: unknown, shape: RegExp): string | undefined {
  return typeof value === 'string' && shape.test(value) ? value : undefined;
}
