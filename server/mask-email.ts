/** `j***@example.com`: enough for a member to recognise an address, not enough to learn it. */
export function maskEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return '***';
  // The first code point, not the first UTF-16 unit: an astral first character stays whole.
  const first = Array.from(trimmed.slice(0, at))[0];
  return `${first}***@${trimmed.slice(at + 1)}`;
}
