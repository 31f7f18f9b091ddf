/** Emails and usernames are matched case-insensitively and after NFKC, everywhere. */
export function normaliseIdentifier(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

export function sameIdentifier(a: string | null, b: string | null): boolean {
  return normaliseIdentifier(a ?? '') === normaliseIdentifier(b ?? '');
}
