/**
 * Fixtures and mail parsing shared by the Node tests (through `app.ts`) and the browser tests
 * (`test/widget/helpers.ts`): no Node import may appear here.
 */

export const TEST_PUBLIC_URL = 'https://portal.example.test';
export const TENANT = 'studio-a';
export const OTHER_TENANT = 'studio-b';
/** A password that passes the default policy for the accounts `seedClient` makes. */
export const GOOD_PASSWORD = 'velvet-harbor-quartz-91';
export const OTHER_GOOD_PASSWORD = 'mosaic-tundra-lantern-38';

type MailText = string | { text: string };
const textOf = (message: MailText) => (typeof message === 'string' ? message : message.text);

/** The token from the first `#token=` link of a mail's text. */
export function tokenFromMail(message: MailText): string {
  const text = textOf(message);
  const match = /#token=([A-Za-z0-9_\-.]+)/.exec(text);
  if (!match) throw new Error(`no link in mail: ${text.slice(0, 200)}`);
  return match[1];
}

/** The short code printed in a reset or invite mail. */
export function codeFromMail(message: MailText): string {
  const match = /^\s*([A-Z2-9]{8})\s*$/m.exec(textOf(message));
  if (!match) throw new Error('no code in mail');
  return match[1];
}
