/** The events a webhook endpoint can receive. One list, used by the API's validation, the README and the emitters. */
export const WEBHOOK_EVENT_TYPES = [
  'password.changed',
  'password.temporary_issued',
  'link.sent',
  'login.disabled',
  'login.enabled',
  'email.changed',
  'email.confirmed',
  'login.throttled',
  'client.deleted',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** How a password came to change, in `password.changed`. */
export type PasswordChangeHow = 'member' | 'reset_link' | 'invite_link' | 'code' | 'staff' | 'forced_change';
