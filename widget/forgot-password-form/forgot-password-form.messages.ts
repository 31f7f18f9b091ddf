/** Strings of `<forgot-password-form>` in English (the French ones are in `widget/locales/fr.ts`). */

const en = {
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
  verifyTitle: 'Confirm your email address',
  verifyIntro: 'Press the button to confirm this address for your account.',
  verify: 'Confirm my email address',
  verified: 'Your email address is confirmed. You can now log in.',
};

export type FormMessages = typeof en;

export const formEn = en;
