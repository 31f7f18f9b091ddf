/** Strings of `<force-reset-dialog>` in English (the French ones are in `widget/locales/fr.ts`). */

const en = {
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
  done: 'Your password has been updated.',
};

export type DialogMessages = typeof en;

export const dialogEn = en;
