/** The two mail transports (outbox and SMTP against a real sink) hold to the same contract; SMTP failures reject. */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { ParsedMail } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { AppError } from '../../server/errors.js';
import { MailSendError, createMailer } from '../../server/mail/create-mailer.js';
import type { MailContent, MailRequest, Mailer } from '../../server/mail/mailer.js';
import { renderMail } from '../../server/mail/templates.js';
import { KvStore } from '../../server/store/kv-store.js';
import { createMemoryKv } from '../../server/store/memory-kv.js';
import type { Store } from '../../server/store/store.js';
import { extractCode, extractLink, startSmtpSink } from '../helpers/smtp-sink.js';
import type { SmtpSink } from '../helpers/smtp-sink.js';

const FROM = 'noreply@reset.example.com';
const TOKEN = 'tkn_Jd82kPq0xYz7Wv';
const CODE = 'Q3RT8VWX';
const PASSWORD = 'Horse-Battery-42!';
const LINK = `https://portal.example.com/reset#token=${TOKEN}`;
const HOUR = 60 * 60 * 1000;

/** A mail as it reached its destination, whichever transport carried it. */
interface Received {
  fromName: string;
  fromAddress: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

interface Harness {
  mailer: Mailer;
  store: Store;
  clock: ManualClock;
  /** The mails delivered so far, oldest first. */
  received(): Promise<Received[]>;
  stop(): Promise<void>;
}

function resetRequest(overrides: Partial<MailRequest> = {}, now = Date.UTC(2026, 0, 5, 9)): MailRequest {
  return {
    to: 'jane@example.com',
    tenant: { id: 't-fit', name: 'FitClub', locale: 'en' },
    clientId: 'c-1',
    content: { kind: 'reset', name: 'Jane', link: LINK, code: CODE, expiresAt: now + 24 * HOUR },
    ...overrides,
  };
}

function fromParsed(mail: ParsedMail): Received {
  const from = mail.from?.value[0];
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return {
    fromName: from?.name ?? '',
    fromAddress: from?.address ?? '',
    to: to?.value[0]?.address ?? '',
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
  };
}

const transports: Array<{ name: 'outbox' | 'smtp'; start(): Promise<Harness> }> = [
  {
    name: 'outbox',
    async start() {
      const store = new KvStore(createMemoryKv());
      const clock = new ManualClock();
      const mailer = createMailer({ mode: 'outbox', from: FROM, store, clock });
      return {
        mailer,
        store,
        clock,
        async received() {
          const messages = (await store.listOutbox(100)).reverse();
          return messages.map((message) => {
            const [from] = addressparser(message.from, { flatten: true });
            return {
              fromName: from.name,
              fromAddress: from.address,
              to: message.to,
              subject: message.subject,
              text: message.text,
              html: message.html,
            };
          });
        },
        stop: () => mailer.close(),
      };
    },
  },
  {
    name: 'smtp',
    async start() {
      const sink = await startSmtpSink();
      const store = new KvStore(createMemoryKv());
      const clock = new ManualClock();
      const mailer = createMailer({ mode: 'smtp', from: FROM, smtpUrl: sink.url, store, clock });
      return {
        mailer,
        store,
        clock,
        async received() {
          return sink.messages.map(fromParsed);
        },
        async stop() {
          await mailer.close();
          await sink.stop();
        },
      };
    },
  },
];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function start(transport: (typeof transports)[number]): Promise<Harness> {
  const harness = await transport.start();
  cleanups.push(() => harness.stop());
  return harness;
}

describe.each(transports)('$name transport', (transport) => {
  it('delivers subject, text and HTML intact, from the tenant, with the exact link', async () => {
    const h = await start(transport);
    const request = resetRequest({}, h.clock.now());
    await h.mailer.send(request);

    const rendered = renderMail(request.content, request.tenant, { now: h.clock.now() });
    const [mail] = await h.received();
    expect(mail.fromName).toBe('FitClub');
    expect(mail.fromAddress).toBe(FROM);
    expect(mail.to).toBe('jane@example.com');
    expect(mail.subject).toBe(rendered.subject);
    expect(mail.text).toBe(rendered.text);
    expect(mail.html).toBe(rendered.html);
    expect(extractLink(mail.text)).toBe(LINK);
    expect(extractCode(mail.text)).toBe(CODE);
  });

  it('keeps a French message and a tenant name with a quote and a comma intact', async () => {
    const h = await start(transport);
    const tenantName = 'Salon "Chez Zoé", Paris & Co';
    const request = resetRequest(
      {
        to: 'zoe@exemple.fr',
        tenant: { id: 't-zoe', name: tenantName, locale: 'fr' },
        content: {
          kind: 'reset',
          name: 'Zoé Lefèvre',
          link: LINK,
          code: CODE,
          expiresAt: h.clock.now() + HOUR,
        },
      },
      h.clock.now(),
    );
    await h.mailer.send(request);

    const rendered = renderMail(request.content, request.tenant, { now: h.clock.now() });
    const [mail] = await h.received();
    expect(mail.fromName).toBe(tenantName);
    expect(mail.fromAddress).toBe(FROM);
    expect(mail.subject).toBe(`Réinitialisation de votre mot de passe ${tenantName}`);
    expect(mail.text).toBe(rendered.text);
    expect(mail.text).toContain('Bonjour Zoé Lefèvre,');
    expect(mail.text).toContain('\u00a0:');
    expect(mail.html).toBe(rendered.html);
    expect(extractLink(mail.text)).toBe(LINK);
  });

  it('carries every kind of mail', async () => {
    const h = await start(transport);
    const now = h.clock.now();
    const contents: MailContent[] = [
      { kind: 'invite', name: 'Jane', link: LINK, code: CODE, expiresAt: null },
      { kind: 'reset', name: 'Jane', link: LINK, code: CODE, expiresAt: now + HOUR },
      {
        kind: 'credentials',
        name: 'Jane',
        password: PASSWORD,
        identifier: 'jane',
        loginUrl: 'https://portal.example.com/login',
        mustChange: true,
        expiresAt: now + 72 * HOUR,
      },
      { kind: 'password-changed', name: 'Jane', at: now, byStaff: true },
      { kind: 'email-changed', name: 'Jane', newEmail: 'jane.new@example.com', at: now },
      { kind: 'verify-email', name: 'Jane', link: LINK, expiresAt: now + HOUR },
    ];
    for (const content of contents) {
      await h.mailer.send(resetRequest({ content }));
      // The outbox orders by time; give each mail its own moment.
      h.clock.advance(1);
    }

    const mails = await h.received();
    expect(mails.map((mail) => mail.subject)).toEqual(
      contents.map((content) => renderMail(content, resetRequest().tenant).subject),
    );
    expect(mails.filter((mail) => mail.text.includes(PASSWORD)).map((mail) => mail.subject)).toEqual([
      'Your FitClub login details',
    ]);
  });

  it('refuses a recipient that is not exactly one address, sending and storing nothing', async () => {
    const h = await start(transport);
    for (const to of [
      'jane@example.com, eve@example.com',
      'not an address',
      'jane@example.com\r\nBcc: eve@x.y',
    ]) {
      const failure = await h.mailer.send(resetRequest({ to })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MailSendError);
      expect((failure as MailSendError).code).toBe('EADDRESS');
    }
    expect(await h.received()).toEqual([]);
    expect(await h.store.listOutbox(10)).toEqual([]);
  });
});

describe('outbox transport', () => {
  it('lists messages newest first, with every field', async () => {
    const store = new KvStore(createMemoryKv());
    const clock = new ManualClock();
    const mailer = createMailer({
      mode: 'outbox',
      from: 'Reset service <noreply@reset.example.com>',
      store,
      clock,
    });
    cleanups.push(() => mailer.close());

    const first = clock.now();
    await mailer.send(resetRequest({ clientId: 'c-1' }, first));
    clock.advance(1000);
    await mailer.send(
      resetRequest({
        to: 'bob@example.com',
        tenant: { id: null, name: 'Ops, "Central"', locale: 'en' },
        clientId: null,
        content: { kind: 'password-changed', name: 'Bob', at: clock.now(), byStaff: false },
      }),
    );
    clock.advance(1000);
    await mailer.send(resetRequest({ clientId: 'c-3' }, clock.now()));

    const listed = await store.listOutbox(10);
    expect(listed.map((message) => message.at)).toEqual([first + 2000, first + 1000, first]);
    expect(listed.map((message) => message.clientId)).toEqual(['c-3', null, 'c-1']);
    expect(await store.listOutbox(2)).toHaveLength(2);

    const notice = listed[1];
    const rendered = renderMail(
      { kind: 'password-changed', name: 'Bob', at: first + 1000, byStaff: false },
      { id: null, name: 'Ops, "Central"', locale: 'en' },
    );
    expect(notice).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      at: first + 1000,
      kind: 'password-changed',
      tenantId: null,
      clientId: null,
      // The configured display name gives way to the tenant's, quoted.
      from: '"Ops, \\"Central\\"" <noreply@reset.example.com>',
      to: 'bob@example.com',
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
    });
    expect(listed[0].tenantId).toBe('t-fit');
    expect(listed[0].kind).toBe('reset');
    expect(new Set(listed.map((message) => message.id)).size).toBe(3);
  });

  it('rejects, storing nothing, when the store fails', async () => {
    const store = new KvStore(createMemoryKv());
    const failing: Store = Object.assign(Object.create(store) as Store, {
      addToOutbox: () => Promise.reject(new AppError('storage_unavailable')),
    });
    const mailer = createMailer({ mode: 'outbox', from: FROM, store: failing, clock: new ManualClock() });
    await expect(mailer.send(resetRequest())).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(await store.listOutbox(10)).toEqual([]);
  });

  it('refuses a sender that is not one address', () => {
    const store = new KvStore(createMemoryKv());
    const clock = new ManualClock();
    expect(() => createMailer({ mode: 'outbox', from: 'a@x.y, b@x.y', store, clock })).toThrow(/from/);
    expect(() => createMailer({ mode: 'smtp', from: FROM, store, clock })).toThrow(/smtpUrl/);
  });
});

describe('smtp transport failures', () => {
  const secretsIn = (error: unknown) => {
    const message = (error as Error).message;
    return [TOKEN, CODE, PASSWORD, LINK, 'jane@example.com'].filter((secret) => message.includes(secret));
  };
  const credentials = (): MailRequest =>
    resetRequest({
      content: {
        kind: 'credentials',
        name: 'Jane',
        password: PASSWORD,
        identifier: 'jane',
        loginUrl: 'https://portal.example.com/login',
        mustChange: true,
        expiresAt: null,
      },
    });

  async function smtp(url: string, timeoutMs?: number) {
    const store = new KvStore(createMemoryKv());
    const mailer = createMailer({
      mode: 'smtp',
      from: FROM,
      smtpUrl: url,
      store,
      clock: new ManualClock(),
      timeoutMs,
    });
    cleanups.push(() => mailer.close());
    return { store, mailer };
  }

  it('rejects when the server refuses with 550, then works again once it accepts', async () => {
    const sink: SmtpSink = await startSmtpSink({ failWith: { code: 550, message: 'Mailbox unavailable' } });
    cleanups.push(() => sink.stop());
    const { store, mailer } = await smtp(sink.url);

    for (const request of [credentials(), resetRequest()]) {
      const started = Date.now();
      const error = await mailer.send(request).catch((failure: unknown) => failure);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error).toBeInstanceOf(MailSendError);
      expect(error).toMatchObject({ responseCode: 550, permanent: true });
      expect((error as Error).message).toMatch(/^Mail could not be sent \(.*550/);
      expect(secretsIn(error)).toEqual([]);
    }
    expect(sink.messages).toEqual([]);

    sink.setFailure(null);
    await mailer.send(resetRequest());
    const [mail] = await sink.waitFor(1);
    expect(extractLink(mail)).toBe(LINK);
    // Keeps vacation autoresponders from answering (RFC 3834).
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    // Real delivery keeps no copy: the outbox would otherwise hold live links and passwords.
    expect(await store.listOutbox(10)).toEqual([]);
  });

  it('rejects a transient refusal as not permanent', async () => {
    const sink = await startSmtpSink({ failWith: { code: 451, message: 'Try again later' } });
    cleanups.push(() => sink.stop());
    const { mailer } = await smtp(sink.url);
    await expect(mailer.send(resetRequest())).rejects.toMatchObject({ responseCode: 451, permanent: false });
  });

  it('replaces a pooled connection that timed out while idle', async () => {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.stop());
    const { mailer } = await smtp(sink.url, 200);
    await mailer.send(resetRequest());
    await new Promise((resolve) => setTimeout(resolve, 600));
    await mailer.send(resetRequest());
    expect(sink.messages).toHaveLength(2);
  });

  it('rejects quickly when nothing listens on the port', async () => {
    const port = await freePort();
    const { store, mailer } = await smtp(`smtp://127.0.0.1:${port}`);
    const started = Date.now();
    const error = await mailer.send(credentials()).catch((failure: unknown) => failure);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(MailSendError);
    expect((error as MailSendError).code).toMatch(/^E[A-Z]+$/);
    expect(secretsIn(error)).toEqual([]);
    expect(await store.listOutbox(10)).toEqual([]);
  });

  it('rejects within the timeout when the server never greets', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.stop());
    const { mailer } = await smtp(`smtp://127.0.0.1:${silent.port}`, 300);
    const started = Date.now();
    const error = await mailer.send(credentials()).catch((failure: unknown) => failure);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toBeInstanceOf(MailSendError);
    expect((error as MailSendError).code).toBe('ETIMEDOUT');
    expect(secretsIn(error)).toEqual([]);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts connections and says nothing, like a wedged SMTP server. */
async function startSilentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
