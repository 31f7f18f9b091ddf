/** A real SMTP server for tests: receives on 127.0.0.1, parses each mail with mailparser, can be told to refuse. */
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream } from 'smtp-server';
import { SHORT_CODE_PATTERN } from '../../server/mail/templates.js';

export interface SinkFailure {
  /** SMTP reply code, e.g. 550 (permanent) or 451 (transient). */
  code: number;
  message: string;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, ready for createMailer's smtpUrl. */
  url: string;
  port: number;
  /** Every accepted mail, parsed, in arrival order. */
  messages: ParsedMail[];
  /** Resolves once at least `count` mails have arrived; rejects after `timeoutMs` (default 5 s). */
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** While set, every recipient (and any message already past RCPT) is refused with this reply. */
  setFailure(failure: SinkFailure | null): void;
  stop(): Promise<void>;
}

export async function startSmtpSink(
  options: {
    failWith?: SinkFailure;
    /** Wait this long before accepting each mail (a slow relay). */ acceptDelayMs?: number;
  } = {},
): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const arrivals = new EventEmitter();
  let failure: SinkFailure | null = options.failWith ?? null;

  const refusal = (f: SinkFailure): Error => Object.assign(new Error(f.message), { responseCode: f.code });

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // stop() should not wait the default 30 s for a pooled client that is still connected.
    closeTimeout: 500,
    onRcptTo(_address, _session, callback) {
      callback(failure ? refusal(failure) : null);
    },
    onData(stream: SMTPServerDataStream, _session, callback) {
      if (failure) {
        // The whole message must be read before replying, or the session stalls.
        const refused = failure;
        stream.on('end', () => callback(refusal(refused)));
        stream.resume();
        return;
      }
      // Accepted only once parsed and stored, so a resolved send means the mail is in `messages`.
      simpleParser(stream).then(
        (mail) => {
          setTimeout(() => {
            messages.push(mail);
            arrivals.emit('mail');
            callback(null);
          }, options.acceptDelayMs ?? 0);
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          cleanup();
          resolve(messages.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`smtp-sink: ${messages.length} of ${count} mails after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          arrivals.off('mail', check);
        };
        arrivals.on('mail', check);
        check();
      });
    },
    setFailure(next) {
      failure = next;
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function textOf(mail: ParsedMail | string): string {
  return typeof mail === 'string' ? mail : (mail.text ?? '');
}

/** The first link carrying a token in its fragment (`…#token=…`), from the text part. */
export function extractLink(mail: ParsedMail | string): string | null {
  return /https?:\/\/[^\s<>"]*#token=[^\s<>"]+/.exec(textOf(mail))?.[0] ?? null;
}

/** The short code printed alone on its line in invite and reset mails. */
export function extractCode(mail: ParsedMail | string): string | null {
  return SHORT_CODE_PATTERN.exec(textOf(mail))?.[1] ?? null;
}
