/**
 * The hosted pages' own words, per language (the elements on them bring theirs). One typed table
 * per language, so a missing translation fails the typecheck.
 */
import type { Locale } from '../domain.js';

export interface PageText {
  /** Shown when the tenant is unknown or not given. */
  portal: string;
  titles: Record<'forgot' | 'reset' | 'welcome' | 'verify-email' | 'login', string>;
  needsScript: string;
  backToLogin: string;
  forgotPassword: string;
  logIn: string;
  identifier: string;
  password: string;
  networkError: string;
  signedInTitle: string;
  signedInAs: string;
  changePassword: string;
  logOut: string;
  passwordChanged: string;
}

const en: PageText = {
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
  networkError: 'The server could not be reached. Check your connection and try again.',
  signedInTitle: 'You are logged in',
  signedInAs: 'Logged in as',
  changePassword: 'Change password',
  logOut: 'Log out',
  passwordChanged: 'Your new password is saved.',
};

const fr: PageText = {
  portal: 'Espace client',
  titles: {
    forgot: 'Mot de passe oublié',
    reset: 'Choisir un nouveau mot de passe',
    welcome: 'Bienvenue',
    'verify-email': 'Confirmer votre adresse e-mail',
    login: 'Connexion',
  },
  needsScript: 'Cette page a besoin de JavaScript. Activez-le dans votre navigateur, puis rechargez la page.',
  backToLogin: 'Retour à la connexion',
  forgotPassword: 'Mot de passe oublié ?',
  logIn: 'Se connecter',
  identifier: 'Nom d’utilisateur ou e-mail',
  password: 'Mot de passe',
  networkError: 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
  signedInTitle: 'Vous êtes connecté',
  signedInAs: 'Connecté en tant que',
  changePassword: 'Changer le mot de passe',
  logOut: 'Se déconnecter',
  passwordChanged: 'Votre nouveau mot de passe est enregistré.',
};

export const pageText: Record<Locale, PageText> = { en, fr };
