/**
 * Everything the server says in English: also the errors' own sentences (what logs show) and the
 * fallback for a language the server does not speak.
 */
import type { ServerText } from './server-text.js';

export const en: ServerText = {
  errors: {
    invalid_request: 'Please check the fields and try again.',
    unsupported_media_type: 'The request could not be sent. Please try again.',
    payload_too_large: 'What you typed is too long.',
    not_found: 'Not found.',
    unauthorized: 'A valid staff token is required.',
    forbidden: 'You are not allowed to do this.',
    link_invalid: 'This link is not valid. Copy the whole link from the email, or ask for a new one.',
    link_expired: 'This link has expired.',
    link_used: 'This link has already been used.',
    link_replaced: 'A newer link has been sent. Use the most recent email.',
    link_revoked: 'This link no longer works because the account changed.',
    password_rejected: 'The password does not meet the rules.',
    invalid_credentials: 'Invalid username or password.',
    account_disabled: 'This account is disabled. Please contact the front desk.',
    email_not_confirmed: 'Please confirm your email address first: we sent you a link.',
    too_many_attempts: 'Too many attempts. Please wait a moment and try again.',
    temporary_password_expired: 'This temporary password has expired. Ask the front desk for a new one.',
    challenge_invalid: 'This step has expired. Please log in again with your temporary password.',
    session_invalid: 'Your session has ended. Please log in again.',
    email_in_use: 'This email address is already in use.',
    username_in_use: 'This username is already in use.',
    id_in_use: 'This client already exists.',
    invalid_email: 'This is not a valid email address.',
    temporary_unavailable:
      'Not available: this client belongs to more than one company, so staff cannot know its password.',
    custom_unavailable: 'Not available: staff cannot choose the password for this client.',
    email_change_unavailable: 'Not available: this client belongs to more than one company.',
    no_email: 'This client has no email address on file.',
    resend_limit: 'The limit of emails to this client in 24 hours is reached.',
    mail_failed: 'The email could not be sent. Nothing was changed; please try again.',
    code_invalid: 'This code is not valid. Check the latest email and try again.',
    storage_unavailable: 'The service is briefly unavailable. Please try again in a moment.',
    server_busy: 'The service is busy. Please try again in a moment.',
    shared_client_unavailable:
      'Not available: this client belongs to more than one company, so only your system can change this.',
    email_not_vouched:
      'Not available: this client belongs to more than one company and its email was typed by staff. Your system must confirm the address first.',
    conflict: 'Someone changed this at the same time. Please try again.',
    internal_error: 'Something went wrong. Please try again.',
  },

  invalidField: {
    withRule: (field, rule) => `The field "${field}" is not valid: ${rule}.`,
    missing: (field) => `The field "${field}" is missing or not valid.`,
    body: 'The request body is not valid.',
  },

  reasons: {
    shared: 'This client belongs to more than one company, so staff cannot know its password.',
    forbidden: 'Your company does not allow staff to choose passwords.',
    noEmail: 'No email address on file.',
    emailShared:
      'This client belongs to more than one company: only the client or your system can change its email.',
    settingsShared:
      'This client belongs to more than one company: only your system can change its name and login settings.',
    unvouched:
      'This client belongs to more than one company and its email was typed by staff: your system must confirm the address first.',
    budget: (limit) => `The limit of ${limit} emails in 24 hours is reached.`,
  },

  activity: {
    actions: {
      'password.set': 'Password set by staff',
      'reset_link.send': 'Reset link sent',
      'invite.send': 'Welcome email sent',
      'client.update': 'Details changed',
      'client.create': 'Client created',
      'client.provision': 'Updated by your system',
      'client.match': 'Email or username typed by staff of another company',
      login: 'Login',
      'password.reset': 'Password reset by the client',
      'password.change': 'Password changed by the client',
      'password.force_change': 'New password chosen by the client',
      'reset_link.request': 'Reset link requested',
      'email.verify': 'Email confirmed',
      'link.renew': 'New link requested',
    },
    outcomes: { refused: ' (refused)', failed: ' (failed)' },
    changes: {
      name: 'Name changed',
      email: 'Email changed',
      loginEnabled: 'Login enabled',
      loginDisabled: 'Login disabled',
      emailConfirmed: 'Email marked confirmed',
      emailUnconfirmed: 'Email marked unconfirmed',
    },
    otherCompanyStaff: 'staff of another company',
  },

  mail: {
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    signOff: (tenant) => `The ${tenant} team`,
    footer: (tenant) => `This message was sent automatically by ${tenant}.`,
    linkFallback: 'If the button does not work, copy this address into your browser:',
    labelled: (text) => `${text}:`,
    invite: {
      subject: (tenant) => `Welcome to ${tenant}: set your password`,
      intro: (tenant) => `${tenant} has created an account for you. To get started, choose your password.`,
      action: 'Set your password',
      codeLabel: 'Finishing on another device? Enter this code there:',
      untilUsed: 'The link and the code work until you use them or until a newer invitation is sent.',
      until: (date, within) =>
        'The link and the code work until you use them or until a newer invitation is sent' +
        (within ? `, for at most ${within}: they expire on ${date}.` : `. They expire on ${date}.`),
      notExpected: 'If you were not expecting this invitation, you can ignore this mail.',
    },
    reset: {
      subject: (tenant) => `Reset your ${tenant} password`,
      intro: (tenant) =>
        `We received a request to reset the password of your ${tenant} account. Choose a new password with the button below.`,
      action: 'Choose a new password',
      codeLabel: 'Finishing on another device? Enter this code there:',
      until: (date, within) =>
        (within ? `Use them within ${within}: the link` : 'The link') +
        ` and the code expire on ${date}. Only the most recent mail works.`,
      ignore: 'If you did not ask for this, ignore this mail: your password stays as it is.',
      voidedIntro: (tenant) =>
        `For your security, the password of your ${tenant} account no longer works after a change to your account: it may have been known to staff. Choose a new password with the button below.`,
      voidedNote: 'You can log in again as soon as you have chosen it.',
    },
    credentials: {
      subject: (tenant) => `Your ${tenant} login details`,
      intro: (tenant) => `${tenant} has set a password for your account. Log in with these details:`,
      identifierLabel: 'Log in with:',
      passwordLabel: 'Password:',
      action: 'Log in',
      mustChange: 'You will be asked to choose a new password at first login.',
      until: (date, within) =>
        within
          ? `Use this password within ${within}: it expires on ${date}.`
          : `This password expires on ${date}.`,
      keepPrivate: 'Keep this password to yourself and delete this mail once you have logged in.',
    },
    passwordChanged: {
      subject: (tenant) => `Your ${tenant} password was changed`,
      body: (tenant, date, byStaff) =>
        byStaff
          ? `The password of your ${tenant} account was changed by staff on ${date}.`
          : `The password of your ${tenant} account was changed on ${date}.`,
      notYou: (tenant, byStaff) =>
        byStaff
          ? `If you did not ask for this change, contact ${tenant}.`
          : `If this was not you, contact ${tenant}.`,
    },
    passwordSet: {
      subject: (tenant) => `Your ${tenant} password is set`,
      body: (tenant, date) => `You set the password of your ${tenant} account on ${date}.`,
      ready: 'Your account is ready: you can now log in.',
      notYou: (tenant) => `If this was not you, contact ${tenant}.`,
    },
    emailChanged: {
      subject: (tenant) => `Your ${tenant} email address was changed`,
      body: (tenant, date, masked) =>
        `The email address of your ${tenant} account was changed to ${masked} on ${date}. ` +
        `From now on, mails from ${tenant} go to the new address.`,
      notYou: (tenant) => `If this was not you, contact ${tenant} right away.`,
    },
    verifyEmail: {
      subject: (tenant) => `Confirm your email address for ${tenant}`,
      intro: (tenant) => `Please confirm that this is your email address for your ${tenant} account.`,
      action: 'Confirm my email address',
      until: (date, within) =>
        within ? `Use the link within ${within}: it expires on ${date}.` : `The link expires on ${date}.`,
      ignore: 'If you did not ask for this, ignore this mail.',
    },
  },

  pages: {
    portal: 'Client portal',
    titles: {
      forgot: 'Forgot password',
      reset: 'Choose a new password',
      welcome: 'Welcome',
      'verify-email': 'Confirm your email',
      login: 'Log in',
    },
    needsScript: 'This page needs JavaScript. Turn it on in your browser, then reload the page.',
    backToLogin: 'Back to log in',
    forgotPassword: 'Forgot password?',
    logIn: 'Log in',
    identifier: 'Username or email',
    password: 'Password',
    networkError: 'The server could not be reached. Please try again in a moment.',
    signedInTitle: 'You are logged in',
    signedInAs: 'Logged in as',
    changePassword: 'Change password',
    logOut: 'Log out',
    passwordChanged: 'Your new password is saved.',
  },
};
