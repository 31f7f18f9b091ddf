/**
 * Every string of the elements in English, the language bundled with them: the strings the three
 * elements share, then each element's own. The other languages (`fr.ts`, `es.ts`, `de.ts`,
 * `pt.ts`) are packs of the same shape, loaded on demand; a key missing there fails the type
 * check. Error messages, the reasons an action is unavailable and activity descriptions are the
 * server's own sentences, in the language the element asks for; the elements keep only the few
 * errors they word differently. A page can override any string through an element's `messages`.
 */

export const commonEn = {
  identifier: 'Email or username',
  newPassword: 'New password',
  confirmPassword: 'Confirm new password',
  showPassword: 'Show passwords',
  rulesTitle: 'Your password must:',
  rules: {
    min_length: (n: number) => `Be at least ${n} characters long`,
    max_length: (n: number) => `Be at most ${n} characters long`,
    not_common: () => 'Not be a commonly used password',
    no_personal_info: () => 'Not contain your name, email or username',
    not_recent: (n: number) => `Not be one of your last ${n} passwords`,
    match: () => 'Be the same in both fields',
  } as Record<string, (n: number) => string>,
  ruleChecked: 'checked when you save',
  ruleMet: 'met',
  ruleUnmet: 'not met yet',
  working: 'Please wait…',
  retry: 'Retry',
  errors: {
    // Where the page's wording differs from the API's (it points at the form, or speaks to staff).
    password_rejected: 'Choose a password that meets every rule in the list.',
    not_found: 'This client could not be found.',
    unauthorized: 'Your session with the portal has ended. Please sign in again.',
    internal_error: 'Something went wrong. Please try again.',
    // The server may be down as well as the member's connection: blame neither.
    network_error: 'The server could not be reached. Please try again in a moment.',
    offline: 'You seem to be offline. Check your connection and try again.',
  } as Record<string, string>,
};

export const panelEn = {
  search: 'Search clients',
  searchHint: 'Name, email or username',
  noClients: 'No clients match.',
  more: 'Show more',
  name: 'Name',
  email: 'Email',
  username: 'Username',
  status: 'Status',
  actions: 'Actions',
  back: 'All clients',
  loading: 'Loading…',
  statuses: { active: 'Active', invited: 'Invited', force_reset: 'Force password reset' } as Record<
    string,
    string
  >,
  credentials: {
    'one-time': 'One-time password',
    temporary: 'Temporary password',
  } as Record<string, string>,
  loginDisabled: 'Login disabled',
  emailUnconfirmed: 'Email not confirmed',
  shared: (n: number) => `In ${n} companies`,
  noEmail: 'No email on file',
  issued: (at: string, by: string, until: string) => `Issued ${at} by ${by}; expires ${until}.`,
  lock: (name: string) => `Reset password for ${name}`,
  resetPassword: 'Reset password',
  sendLink: 'Send reset link',
  resendWelcome: 'Resend welcome email',
  left: (n: number, max: number) => `${n} of ${max} left today`,
  nextAt: (at: string) => `Possible again at ${at}`,
  linkSent: (email: string) => `Sent to ${email}.`,
  enableLogin: 'Enable login',
  emailConfirmed: 'Email confirmed',
  changeEmail: 'Change email',
  newEmail: 'New email',
  save: 'Save',
  cancel: 'Cancel',
  saved: 'Saved.',
  activity: 'Recent activity',
  noActivity: 'No activity yet.',
  kind: 'Password',
  custom: 'Custom password',
  random: 'Random password',
  delivery: 'Delivery',
  byEmail: 'Email to client',
  showOnce: 'Show once',
  inPerson: 'Tell the client myself',
  temporary: 'Temporary (must change at next login)',
  passwordRequired: 'Type the new password, or choose Random password.',
  clientRulesTitle: 'The client’s password must:',
  clientRules: {
    no_personal_info: () => 'Not contain the client’s name, email or username',
    not_recent: (n: number) => `Not be one of the client’s last ${n} passwords`,
  } as Record<string, (n: number) => string>,
  next: 'Continue',
  confirmText: (name: string) => `This replaces ${name}’s password now. The old one stops working. Continue?`,
  resetAndSend: 'Reset and Send',
  shownOnce: 'Copy this password or write it down now: it cannot be shown again.',
  noted: 'I have noted it',
  copy: 'Copy',
  copied: 'Copied',
  close: 'Close',
  emailed: (email: string) => `The new login details were sent to ${email}.`,
  setDone: 'The password was changed. Tell the client in person.',
};

export const formEn = {
  title: 'Forgot your password?',
  intro: 'Enter your email or username and we will email you a link to choose a new password.',
  send: 'Send reset link',
  sent: 'If an account matches, we sent a link. Check your spam folder.',
  enterCode: 'Enter the code from the email',
  code: 'Code from the email',
  setPassword: 'Set password',
  back: 'Back',
  resetTitle: 'Choose a new password',
  inviteTitle: (name: string) => `Welcome, ${name}!`,
  inviteIntro: 'Your account is ready. Choose a password to start using it.',
  done: 'Your password is set. You can now log in.',
  checking: 'Checking your link…',
  renew: 'Send me a new link',
  renewed: 'If the account can still use it, a new link is on its way. Check your spam folder.',
  startOver: 'Ask for a new link',
  logIn: 'Log in',
  verifyTitle: 'Confirm your email address',
  verifyIntro: 'Press the button to confirm this address for your account.',
  verify: 'Confirm my email address',
  verified: 'Your email address is confirmed. You can now log in.',
};

export const dialogEn = {
  title: 'Choose a new password',
  intro: 'The front desk gave you a temporary password. Enter it, then choose your own password.',
  temporary: 'Temporary password',
  next: 'Continue',
  stepTwo: 'Now choose a password only you know.',
  update: 'Update Password',
  cancel: 'Cancel',
  close: 'Close',
  changeTitle: 'Change your password',
  current: 'Current password',
  wrongCurrent: 'This is not your current password.',
  done: 'Your password has been updated.',
};

export type CommonMessages = typeof commonEn;
export type PanelMessages = typeof panelEn;
export type FormMessages = typeof formEn;
export type DialogMessages = typeof dialogEn;

/** A section of a pack: the strings of one element. */
export type LocaleSection = Exclude<keyof LocalePack, 'common'>;

/** What a language other than English provides: the shared strings and each element's own. */
export interface LocalePack {
  common: CommonMessages;
  panel: PanelMessages;
  form: FormMessages;
  dialog: DialogMessages;
}
