/** The French locale pack: loaded on demand by any element whose language resolves to French. */
import type { LocalePack, CommonMessages } from '../internal/messages.js';
import type { PanelMessages } from '../client-reset-panel/client-reset-panel.messages.js';
import type { FormMessages } from '../forgot-password-form/forgot-password-form.messages.js';
import type { DialogMessages } from '../force-reset-dialog/force-reset-dialog.messages.js';

/** "de" before a name, elided before a vowel as French writes it: "d’Alice", "de Ben". */
const ofName = (name: string) => (/^[aeiouâàäéèêëîïôöûùü]/iu.test(name) ? `d’${name}` : `de ${name}`);

const common: CommonMessages = {
  identifier: 'E-mail ou nom d’utilisateur',
  newPassword: 'Nouveau mot de passe',
  confirmPassword: 'Confirmer le nouveau mot de passe',
  showPassword: 'Afficher les mots de passe',
  rulesTitle: 'Votre mot de passe doit :',
  rules: {
    min_length: (n) => `Contenir au moins ${n} caractères`,
    max_length: (n) => `Contenir au plus ${n} caractères`,
    not_common: () => 'Ne pas être un mot de passe courant',
    no_personal_info: () => 'Ne pas contenir votre nom, votre e-mail ou votre nom d’utilisateur',
    not_recent: (n) => `Ne pas être l’un de vos ${n} derniers mots de passe`,
    match: () => 'Être identique dans les deux champs',
  },
  ruleChecked: 'vérifié à l’enregistrement',
  ruleMet: 'respecté',
  ruleUnmet: 'pas encore respecté',
  working: 'Veuillez patienter…',
  errors: {
    not_found: 'Ce client est introuvable.',
    unauthorized: 'Votre session sur le portail a pris fin. Reconnectez-vous.',
    password_rejected: 'Ce mot de passe ne respecte pas les règles ci-dessous.',
    internal_error: 'Une erreur est survenue. Réessayez.',
    network_error: 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
  },
};

const panel: PanelMessages = {
  search: 'Rechercher un client',
  searchHint: 'Nom, e-mail ou nom d’utilisateur',
  noClients: 'Aucun client ne correspond.',
  more: 'Afficher plus',
  name: 'Nom',
  email: 'E-mail',
  username: 'Nom d’utilisateur',
  status: 'Statut',
  actions: 'Actions',
  back: 'Tous les clients',
  loading: 'Chargement…',
  statuses: { active: 'Actif', invited: 'Invité', force_reset: 'Réinitialisation imposée' },
  loginDisabled: 'Connexion désactivée',
  emailUnconfirmed: 'E-mail non confirmé',
  shared: (n) => `Dans ${n} entreprises`,
  noEmail: 'Aucun e-mail enregistré',
  issued: (at, by, until) => `Émis le ${at} par ${by} ; expire le ${until}.`,
  lock: (name) => `Réinitialiser le mot de passe ${ofName(name)}`,
  resetPassword: 'Réinitialiser le mot de passe',
  sendLink: 'Envoyer un lien de réinitialisation',
  resendWelcome: 'Renvoyer l’e-mail de bienvenue',
  left: (n, max) => `${n} sur ${max} restants aujourd’hui`,
  nextAt: (at) => `Possible à nouveau le ${at}`,
  linkSent: (email) => `Envoyé à ${email}.`,
  enableLogin: 'Autoriser la connexion',
  emailConfirmed: 'E-mail confirmé',
  changeEmail: 'Modifier l’e-mail',
  newEmail: 'Nouvel e-mail',
  save: 'Enregistrer',
  cancel: 'Annuler',
  saved: 'Enregistré.',
  activity: 'Activité récente',
  noActivity: 'Aucune activité pour l’instant.',
  kind: 'Mot de passe',
  custom: 'Mot de passe personnalisé',
  random: 'Mot de passe aléatoire',
  delivery: 'Envoi',
  byEmail: 'Par e-mail au client',
  showOnce: 'Afficher une seule fois',
  inPerson: 'Je le communique moi-même',
  temporary: 'Temporaire (à changer à la prochaine connexion)',
  keep: 'Laissez vide pour conserver le mot de passe actuel.',
  keepButton: 'Conserver le mot de passe actuel',
  next: 'Continuer',
  confirmText: (name) =>
    `Ceci remplace maintenant le mot de passe ${ofName(name)}. L’ancien ne fonctionnera plus. Continuer ?`,
  resetAndSend: 'Réinitialiser et envoyer',
  shownOnce: 'Copiez ce mot de passe maintenant : il ne sera plus affiché.',
  copy: 'Copier',
  copied: 'Copié',
  close: 'Fermer',
  emailed: (email) => `Les nouveaux identifiants ont été envoyés à ${email}.`,
  setDone: 'Le mot de passe a été modifié. Communiquez-le au client en personne.',
};

const form: FormMessages = {
  title: 'Mot de passe oublié ?',
  intro:
    'Saisissez votre e-mail ou nom d’utilisateur : nous vous enverrons un lien pour choisir un nouveau mot de passe.',
  send: 'Envoyer le lien',
  sent: 'Si un compte correspond, nous avons envoyé un lien. Pensez à vérifier vos courriers indésirables.',
  enterCode: 'Saisir le code reçu par e-mail',
  code: 'Code reçu par e-mail',
  setPassword: 'Enregistrer le mot de passe',
  back: 'Retour',
  resetTitle: 'Choisissez un nouveau mot de passe',
  inviteTitle: (name: string) => `Bienvenue, ${name} !`,
  inviteIntro: 'Votre compte est prêt. Choisissez un mot de passe pour commencer.',
  done: 'Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter.',
  checking: 'Vérification du lien…',
  renew: 'M’envoyer un nouveau lien',
  renewed:
    'Si le compte peut encore l’utiliser, un nouveau lien est en route. Pensez à vérifier vos courriers indésirables.',
  startOver: 'Demander un nouveau lien',
  verifyTitle: 'Confirmez votre adresse e-mail',
  verifyIntro: 'Appuyez sur le bouton pour confirmer cette adresse pour votre compte.',
  verify: 'Confirmer mon adresse e-mail',
  verified: 'Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter.',
};

const dialog: DialogMessages = {
  title: 'Choisissez un nouveau mot de passe',
  intro:
    'L’accueil vous a remis un mot de passe temporaire. Saisissez-le, puis choisissez votre propre mot de passe.',
  temporary: 'Mot de passe temporaire',
  next: 'Continuer',
  stepTwo: 'Choisissez maintenant un mot de passe que vous seul connaissez.',
  update: 'Mettre à jour le mot de passe',
  cancel: 'Annuler',
  close: 'Fermer',
  changeTitle: 'Changer votre mot de passe',
  current: 'Mot de passe actuel',
  done: 'Votre mot de passe a été mis à jour.',
};

export const fr: LocalePack = { common, panel, form, dialog };
