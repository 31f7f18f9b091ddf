/**
 * The human text the server answers with, per language: error messages, why a capability is
 * unavailable, and labels of audit events. Mail has its own sentences in `mail/templates.ts`.
 * Every table is typed by its full set of keys, so a missing translation fails the typecheck.
 */
import type { AuditAction, AuditOutcome, Locale } from './domain.js';
import { defaultMessages, type ErrorCode } from './errors.js';

const frenchErrors: Record<ErrorCode, string> = {
  invalid_request: 'Vérifiez les champs et réessayez.',
  unsupported_media_type: 'La demande n’a pas pu être envoyée. Réessayez.',
  payload_too_large: 'Le texte saisi est trop long.',
  not_found: 'Introuvable.',
  unauthorized: 'Un jeton valide du personnel est requis.',
  forbidden: 'Vous n’êtes pas autorisé à faire cela.',
  link_invalid: 'Ce lien n’est pas valide. Copiez le lien complet depuis l’e-mail ou demandez-en un nouveau.',
  link_expired: 'Ce lien a expiré.',
  link_used: 'Ce lien a déjà été utilisé.',
  link_replaced: 'Un lien plus récent a été envoyé. Utilisez le dernier e-mail.',
  link_revoked: 'Ce lien ne fonctionne plus car le compte a changé.',
  password_rejected: 'Le mot de passe ne respecte pas les règles.',
  invalid_credentials: 'Nom d’utilisateur ou mot de passe incorrect.',
  account_disabled: 'Ce compte est désactivé. Contactez l’accueil.',
  email_not_confirmed: 'Confirmez d’abord votre adresse e-mail : nous vous avons envoyé un lien.',
  too_many_attempts: 'Trop de tentatives. Patientez un instant puis réessayez.',
  temporary_password_expired: 'Ce mot de passe temporaire a expiré. Demandez-en un nouveau à l’accueil.',
  challenge_invalid: 'Cette étape a expiré. Reconnectez-vous avec votre mot de passe temporaire.',
  session_invalid: 'Votre session a pris fin. Reconnectez-vous.',
  email_in_use: 'Cette adresse e-mail est déjà utilisée.',
  username_in_use: 'Ce nom d’utilisateur est déjà utilisé.',
  id_in_use: 'Ce client existe déjà.',
  invalid_email: 'Cette adresse e-mail n’est pas valide.',
  temporary_unavailable:
    'Indisponible : ce client appartient à plusieurs entreprises, le personnel ne peut pas connaître son mot de passe.',
  custom_unavailable: 'Indisponible : le personnel ne peut pas choisir le mot de passe de ce client.',
  email_change_unavailable: 'Indisponible : ce client appartient à plusieurs entreprises.',
  no_email: 'Ce client n’a pas d’adresse e-mail enregistrée.',
  resend_limit: 'La limite d’e-mails à ce client en 24 heures est atteinte.',
  mail_failed: 'L’e-mail n’a pas pu être envoyé. Rien n’a été modifié ; réessayez.',
  code_invalid: 'Ce code n’est pas valide. Vérifiez le dernier e-mail et réessayez.',
  storage_unavailable: 'Le service est momentanément indisponible. Réessayez dans un instant.',
  server_busy: 'Le service est très sollicité. Réessayez dans un instant.',
  shared_client_unavailable:
    'Indisponible : ce client appartient à plusieurs entreprises, seul votre système peut modifier ceci.',
  email_not_vouched:
    'Indisponible : ce client appartient à plusieurs entreprises et son e-mail a été saisi par le personnel. Votre système doit d’abord confirmer l’adresse.',
  conflict: 'Quelqu’un a modifié ceci en même temps. Réessayez.',
  internal_error: 'Une erreur est survenue. Réessayez.',
};

/** The English ones are the errors' own defaults (also what the logs show). */
export const errorMessages: Record<Locale, Record<ErrorCode, string>> = {
  en: defaultMessages,
  fr: frenchErrors,
};

/** Why staff cannot use a capability of a client summary. */
export interface ReasonText {
  /** Shared by several companies: no password staff would know. */
  shared: string;
  /** The company's policy forbids staff-chosen passwords. */
  forbidden: string;
  noEmail: string;
  /** Shared: its email is not this company's to change. */
  emailShared: string;
  /** Shared: its name and login settings are not this company's to change. */
  settingsShared: string;
  /** Shared, with an address staff typed: nothing that sets a password goes there until the integrator confirms it. */
  unvouched: string;
  /** The reset/welcome mail budget is spent; the summary's `resendsRetryAt` says until when. */
  budget(limit: number): string;
}

export const reasonText: Record<Locale, ReasonText> = {
  en: {
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
  fr: {
    shared:
      'Ce client appartient à plusieurs entreprises : le personnel ne peut pas connaître son mot de passe.',
    forbidden: 'Votre entreprise n’autorise pas le personnel à choisir les mots de passe.',
    noEmail: 'Aucune adresse e-mail enregistrée.',
    emailShared:
      'Ce client appartient à plusieurs entreprises : seul le client ou votre système peut modifier son e-mail.',
    settingsShared:
      'Ce client appartient à plusieurs entreprises : seul votre système peut modifier son nom et ses réglages de connexion.',
    unvouched:
      'Ce client appartient à plusieurs entreprises et son e-mail a été saisi par le personnel : votre système doit d’abord confirmer l’adresse.',
    budget: (limit) => `La limite de ${limit} e-mails en 24 heures est atteinte.`,
  },
};

const actionLabels: Record<Locale, Record<AuditAction, string>> = {
  en: {
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
  fr: {
    'password.set': 'Mot de passe défini par le personnel',
    'reset_link.send': 'Lien de réinitialisation envoyé',
    'invite.send': 'E-mail de bienvenue envoyé',
    'client.update': 'Informations modifiées',
    'client.create': 'Client créé',
    'client.provision': 'Mis à jour par votre système',
    'client.match': 'E-mail ou nom d’utilisateur saisi par le personnel d’une autre entreprise',
    login: 'Connexion',
    'password.reset': 'Mot de passe réinitialisé par le client',
    'password.change': 'Mot de passe changé par le client',
    'password.force_change': 'Nouveau mot de passe choisi par le client',
    'reset_link.request': 'Lien de réinitialisation demandé',
    'email.verify': 'E-mail confirmé',
    'link.renew': 'Nouveau lien demandé',
  },
};

/**
 * Only the outcomes worth saying: a successful action reads as its label alone. French says them
 * as nouns, which agree with any label ("Connexion : refus", not "Connexion (refusé)").
 */
const outcomeSuffixes: Record<Locale, Record<Exclude<AuditOutcome, 'ok'>, string>> = {
  en: { refused: ' (refused)', failed: ' (failed)' },
  fr: { refused: ' : refus', failed: ' : échec' },
};

/**
 * One line for an audit event: "Reset link sent", or "Reset link sent (refused)" when it did not
 * succeed, and "× 12" for repeats counted on one record. An action without a label (a record older
 * than this table) shows as it was stored.
 */
export function eventText(locale: Locale, action: string, outcome: AuditOutcome, count = 1): string {
  const labels = actionLabels[locale];
  const label = Object.hasOwn(labels, action) ? labels[action as AuditAction] : action;
  const text =
    outcome === 'ok' ? label : `${label}${outcomeSuffixes[locale][outcome] ?? ` (${String(outcome)})`}`;
  return count > 1 ? `${text} × ${count}` : text;
}

/** A request field that is missing or not valid (or the body as a whole when no field is named). */
/** `detail`: what the field must be, in English (a rule of one field, see the README's API notes). */
export function invalidFieldText(field: string, detail?: string): Record<Locale, string> {
  if (field && detail) {
    return {
      en: `The field "${field}" is not valid: ${detail}.`,
      fr: `Le champ « ${field} » n’est pas valide : ${detail}.`,
    };
  }
  return field
    ? {
        en: `The field "${field}" is missing or not valid.`,
        fr: `Le champ « ${field} » est manquant ou n’est pas valide.`,
      }
    : { en: 'The request body is not valid.', fr: 'Le contenu de la demande n’est pas valide.' };
}

/** Who acted, when it was staff of another company: they stay anonymous to this one. */
export const otherCompanyStaff: Record<Locale, string> = {
  en: 'staff of another company',
  fr: 'le personnel d’une autre entreprise',
};
