/**
 * The words a password must not contain: one definition, used by the server's policy when it
 * saves a password and by the elements' live checklist while the member types, so both split a
 * name, email or username the same way. Plain code with no imports: it runs in Node and in the
 * browser. (The browser does not know the tenant names the server adds; a password holding one is
 * refused when saved, with the rule marked then.)
 */

/** What is known about the member a password is for. */
export interface PersonalDetails {
  name?: string | null;
  email?: string | null;
  username?: string | null;
  tenantNames?: string[];
}

/** Context words shorter than this would reject too many good passwords ("al" in "vocal"). */
const MIN_CONTEXT_WORD = 3;

const long = (word: string) => [...word].length >= MIN_CONTEXT_WORD;

/**
 * Name parts, the email's local part and domain name (`alice.smith@example.com` gives `alice`,
 * `smith`, `alice.smith`, `example` — never `com`, which would forbid "welcome"), the username
 * and its parts, the tenant names; lower case, NFKC.
 */
export function contextWords(details: PersonalDetails): string[] {
  const words = new Set<string>();
  const add = (value: string | null | undefined) => {
    if (!value) return;
    const normalised = value.normalize('NFKC').toLowerCase().trim();
    if (long(normalised)) words.add(normalised);
    for (const part of normalised.split(/[\s._\-+@'’]+/u)) if (long(part)) words.add(part);
  };
  add(details.name);
  add(details.username);
  if (details.email) {
    const at = details.email.lastIndexOf('@');
    add(details.email.slice(0, at));
    // The domain's first label only: top-level and second-level parts (com, org, co) are no one's.
    add(details.email.slice(at + 1).split('.')[0]);
  }
  for (const tenantName of details.tenantNames ?? []) add(tenantName);
  return [...words];
}

/** Whether the password (any case, NFKC) contains one of the words. */
export function holdsContextWord(password: string, words: string[]): boolean {
  const lower = password.normalize('NFKC').toLowerCase();
  return words.some((word) => lower.includes(word));
}
