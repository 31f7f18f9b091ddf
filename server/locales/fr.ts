/**
 * Everything the server says in French. French typography: a no-break space before a colon in
 * mail (U+00A0) and a narrow one before ? and ! (U+202F), so the mark never starts a line; the
 * apostrophe is ’; activity outcomes are nouns, which agree with any label ("Connexion : refus").
 */
import type { ServerText } from './server-text.js';

const nbsp = '\u00a0';
const nnbsp = '\u202f';

export const fr: ServerText = {
  errors: {
    invalid_request: 'Vérifiez les champs et réessayez.',
    unsupported_media_type: 'La demande n’a pas pu être envoyée. Réessayez.',
    payload_too_large: 'Le texte saisi est trop long.',
    not_found: 'Introuvable.',
    unauthorized: 'Un jeton valide du personnel est requis.',
    forbidden: 'Vous n’êtes pas autorisé à faire cela.',
    link_invalid:
      'Ce lien n’est pas valide. Copiez le lien complet depuis l’e-mail ou demandez-en un nouveau.',
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
  },

  invalidField: {
    withRule: (field, rule) => `Le champ « ${field} » n’est pas valide : ${rule}.`,
    missing: (field) => `Le champ « ${field} » est manquant ou n’est pas valide.`,
    body: 'Le contenu de la demande n’est pas valide.',
  },

  reasons: {
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

  activity: {
    actions: {
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
    outcomes: { refused: ' : refus', failed: ' : échec' },
    changes: {
      name: 'Nom modifié',
      email: 'E-mail modifié',
      loginEnabled: 'Connexion activée',
      loginDisabled: 'Connexion désactivée',
      emailConfirmed: 'E-mail marqué comme confirmé',
      emailUnconfirmed: 'E-mail marqué comme non confirmé',
    },
    otherCompanyStaff: 'le personnel d’une autre entreprise',
  },

  mail: {
    greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    signOff: (tenant) => `L’équipe ${tenant}`,
    footer: (tenant) => `Ce message a été envoyé automatiquement par ${tenant}.`,
    linkFallback: `Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur${nbsp}:`,
    labelled: (text) => `${text}${nbsp}:`,
    invite: {
      subject: (tenant) => `Bienvenue chez ${tenant}${nbsp}: choisissez votre mot de passe`,
      intro: (tenant) => `${tenant} vous a créé un compte. Pour commencer, choisissez votre mot de passe.`,
      action: 'Choisir mon mot de passe',
      codeLabel: `Vous continuez sur un autre appareil${nnbsp}? Saisissez-y ce code${nbsp}:`,
      untilUsed:
        'Le lien et le code restent valables jusqu’à leur utilisation ou jusqu’à l’envoi d’une nouvelle invitation.',
      until: (date, within) =>
        'Le lien et le code restent valables jusqu’à leur utilisation ou jusqu’à l’envoi d’une nouvelle invitation' +
        (within
          ? `, pendant ${within} au plus${nbsp}: ils expirent le ${date}.`
          : `. Ils expirent le ${date}.`),
      notExpected: 'Si vous n’attendiez pas cette invitation, ignorez simplement ce message.',
    },
    reset: {
      subject: (tenant) => `Réinitialisation de votre mot de passe ${tenant}`,
      intro: (tenant) =>
        `Nous avons reçu une demande de réinitialisation du mot de passe de votre compte ${tenant}. Choisissez un nouveau mot de passe avec le bouton ci-dessous.`,
      action: 'Choisir un nouveau mot de passe',
      codeLabel: `Vous continuez sur un autre appareil${nnbsp}? Saisissez-y ce code${nbsp}:`,
      until: (date, within) =>
        (within ? `Utilisez-les dans les ${within}${nbsp}: le lien` : 'Le lien') +
        ` et le code expirent le ${date}. Seul le message le plus récent est valable.`,
      ignore: `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message${nbsp}: votre mot de passe reste inchangé.`,
      voidedIntro: (tenant) =>
        `Pour votre sécurité, le mot de passe de votre compte ${tenant} ne fonctionne plus après une modification de votre compte${nbsp}: il a pu être connu du personnel. Choisissez un nouveau mot de passe avec le bouton ci-dessous.`,
      voidedNote: 'Vous pourrez vous reconnecter dès que vous l’aurez choisi.',
    },
    credentials: {
      subject: (tenant) => `Vos identifiants ${tenant}`,
      intro: (tenant) =>
        `${tenant} a défini un mot de passe pour votre compte. Connectez-vous avec ces informations${nbsp}:`,
      identifierLabel: `Identifiant${nbsp}:`,
      passwordLabel: `Mot de passe${nbsp}:`,
      action: 'Se connecter',
      mustChange: 'Lors de votre première connexion, vous devrez choisir un nouveau mot de passe.',
      until: (date, within) =>
        within
          ? `Utilisez ce mot de passe dans les ${within}${nbsp}: il expire le ${date}.`
          : `Ce mot de passe expire le ${date}.`,
      keepPrivate: 'Ne communiquez ce mot de passe à personne et supprimez ce message après votre connexion.',
    },
    passwordChanged: {
      subject: (tenant) => `Votre mot de passe ${tenant} a été modifié`,
      body: (tenant, date, byStaff) =>
        byStaff
          ? `Le mot de passe de votre compte ${tenant} a été modifié par l’équipe le ${date}.`
          : `Le mot de passe de votre compte ${tenant} a été modifié le ${date}.`,
      notYou: (tenant, byStaff) =>
        byStaff
          ? `Si vous n’avez pas demandé ce changement, contactez ${tenant}.`
          : `Si vous n’êtes pas à l’origine de ce changement, contactez ${tenant}.`,
    },
    passwordSet: {
      subject: (tenant) => `Votre mot de passe ${tenant} est défini`,
      body: (tenant, date) => `Vous avez défini le mot de passe de votre compte ${tenant} le ${date}.`,
      ready: `Votre compte est prêt${nbsp}: vous pouvez maintenant vous connecter.`,
      notYou: (tenant) => `Si vous n’êtes pas à l’origine de cette opération, contactez ${tenant}.`,
    },
    emailChanged: {
      subject: (tenant) => `L’adresse e-mail de votre compte ${tenant} a été modifiée`,
      body: (tenant, date, masked) =>
        `L’adresse e-mail de votre compte ${tenant} a été remplacée par ${masked} le ${date}. ` +
        `Les messages de ${tenant} seront désormais envoyés à la nouvelle adresse.`,
      notYou: (tenant) =>
        `Si vous n’êtes pas à l’origine de ce changement, contactez ${tenant} sans attendre.`,
    },
    verifyEmail: {
      subject: (tenant) => `Confirmez votre adresse e-mail pour ${tenant}`,
      intro: (tenant) =>
        `Merci de confirmer qu’il s’agit bien de votre adresse e-mail pour votre compte ${tenant}.`,
      action: 'Confirmer mon adresse e-mail',
      until: (date, within) =>
        within
          ? `Utilisez le lien dans les ${within}${nbsp}: il expire le ${date}.`
          : `Le lien expire le ${date}.`,
      ignore: 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.',
    },
  },

  pages: {
    portal: 'Espace client',
    titles: {
      forgot: 'Mot de passe oublié',
      reset: 'Choisir un nouveau mot de passe',
      welcome: 'Bienvenue',
      'verify-email': 'Confirmer votre adresse e-mail',
      login: 'Connexion',
    },
    needsScript:
      'Cette page a besoin de JavaScript. Activez-le dans votre navigateur, puis rechargez la page.',
    backToLogin: 'Retour à la connexion',
    forgotPassword: 'Mot de passe oublié ?',
    logIn: 'Se connecter',
    identifier: 'Nom d’utilisateur ou e-mail',
    password: 'Mot de passe',
    networkError: 'Le serveur est injoignable. Réessayez dans un instant.',
    signedInTitle: 'Vous êtes connecté',
    signedInAs: 'Connecté en tant que',
    changePassword: 'Changer le mot de passe',
    logOut: 'Se déconnecter',
    passwordChanged: 'Votre nouveau mot de passe est enregistré.',
  },
};
