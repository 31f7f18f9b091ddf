/** Structured logs through pino, with every field that could hold a secret redacted as a second line of defence. */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Field names that must never reach a log, wherever they appear. */
const SECRET_FIELDS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'session',
  'challenge',
  'code',
  'hash',
  'passwordHash',
  'authorization',
  'cookie',
  'secret',
];

export function createLogger(level = 'info'): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)],
        censor: '[redacted]',
      },
      base: undefined,
    },
    // Written without blocking: a line waits only while the one before it is being written (so
    // under load lines go out together, one write each), and pino writes what is left at exit.
    // At most 16 MiB waiting: past it (a reader that stopped reading) lines are dropped, not
    // kept in memory until the process fails.
    pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 }),
  );
}
