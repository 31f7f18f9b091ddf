/**
 * Everything the server says in German, addressing the reader as Sie. German typography: „“
 * around a quoted name, no space before a colon, a capital after it when a sentence follows.
 * Durations come from `Intl` in the nominative ("3 Tage"), so sentences put them where that
 * case fits ("gilt 3 Tage lang"), never after "innerhalb von".
 */
import type { ServerText } from './server-text.js';

export const de: ServerText = {
  errors: {
    invalid_request: 'Bitte prüfen Sie die Felder und versuchen Sie es erneut.',
    unsupported_media_type: 'Die Anfrage konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
    payload_too_large: 'Ihre Eingabe ist zu lang.',
    not_found: 'Nicht gefunden.',
    unauthorized: 'Ein gültiges Mitarbeiter-Token ist erforderlich.',
    forbidden: 'Dazu sind Sie nicht berechtigt.',
    link_invalid:
      'Dieser Link ist ungültig. Kopieren Sie den vollständigen Link aus der E-Mail oder fordern Sie einen neuen an.',
    link_expired: 'Dieser Link ist abgelaufen.',
    link_used: 'Dieser Link wurde bereits verwendet.',
    link_replaced: 'Es wurde ein neuerer Link gesendet. Verwenden Sie die neueste E-Mail.',
    link_revoked: 'Dieser Link funktioniert nicht mehr, weil sich das Konto geändert hat.',
    password_rejected: 'Das Passwort erfüllt die Regeln nicht.',
    invalid_credentials: 'Benutzername oder Passwort ist falsch.',
    account_disabled: 'Dieses Konto ist deaktiviert. Bitte wenden Sie sich an den Empfang.',
    email_not_confirmed:
      'Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse: Wir haben Ihnen einen Link gesendet.',
    too_many_attempts: 'Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es erneut.',
    temporary_password_expired:
      'Dieses vorläufige Passwort ist abgelaufen. Bitten Sie den Empfang um ein neues.',
    challenge_invalid:
      'Dieser Schritt ist abgelaufen. Bitte melden Sie sich erneut mit Ihrem vorläufigen Passwort an.',
    session_invalid: 'Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an.',
    email_in_use: 'Diese E-Mail-Adresse wird bereits verwendet.',
    username_in_use: 'Dieser Benutzername wird bereits verwendet.',
    id_in_use: 'Diesen Kunden gibt es bereits.',
    invalid_email: 'Diese E-Mail-Adresse ist ungültig.',
    temporary_unavailable:
      'Nicht verfügbar: Dieser Kunde gehört zu mehreren Unternehmen, daher können Mitarbeitende sein Passwort nicht kennen.',
    custom_unavailable: 'Nicht verfügbar: Mitarbeitende können das Passwort dieses Kunden nicht festlegen.',
    email_change_unavailable: 'Nicht verfügbar: Dieser Kunde gehört zu mehreren Unternehmen.',
    no_email: 'Für diesen Kunden ist keine E-Mail-Adresse hinterlegt.',
    resend_limit: 'Das Limit für E-Mails an diesen Kunden innerhalb von 24 Stunden ist erreicht.',
    mail_failed:
      'Die E-Mail konnte nicht gesendet werden. Es wurde nichts geändert; bitte versuchen Sie es erneut.',
    code_invalid: 'Dieser Code ist ungültig. Prüfen Sie die neueste E-Mail und versuchen Sie es erneut.',
    storage_unavailable:
      'Der Dienst ist kurzzeitig nicht verfügbar. Bitte versuchen Sie es gleich noch einmal.',
    server_busy: 'Der Dienst ist stark ausgelastet. Bitte versuchen Sie es gleich noch einmal.',
    shared_client_unavailable:
      'Nicht verfügbar: Dieser Kunde gehört zu mehreren Unternehmen, daher kann nur Ihr System dies ändern.',
    email_not_vouched:
      'Nicht verfügbar: Dieser Kunde gehört zu mehreren Unternehmen und seine E-Mail-Adresse wurde von Mitarbeitenden eingegeben. Ihr System muss die Adresse zuerst bestätigen.',
    conflict: 'Jemand hat dies gleichzeitig geändert. Bitte versuchen Sie es erneut.',
    internal_error: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  },

  invalidField: {
    withRule: (field, rule) => `Das Feld „${field}“ ist ungültig: ${rule}.`,
    missing: (field) => `Das Feld „${field}“ fehlt oder ist ungültig.`,
    body: 'Der Inhalt der Anfrage ist ungültig.',
  },

  reasons: {
    shared:
      'Dieser Kunde gehört zu mehreren Unternehmen, daher können Mitarbeitende sein Passwort nicht kennen.',
    forbidden: 'Ihr Unternehmen erlaubt Mitarbeitenden nicht, Passwörter festzulegen.',
    noEmail: 'Keine E-Mail-Adresse hinterlegt.',
    emailShared:
      'Dieser Kunde gehört zu mehreren Unternehmen: Nur der Kunde oder Ihr System kann seine E-Mail-Adresse ändern.',
    settingsShared:
      'Dieser Kunde gehört zu mehreren Unternehmen: Nur Ihr System kann seinen Namen und seine Anmeldeeinstellungen ändern.',
    unvouched:
      'Dieser Kunde gehört zu mehreren Unternehmen und seine E-Mail-Adresse wurde von Mitarbeitenden eingegeben: Ihr System muss die Adresse zuerst bestätigen.',
    budget: (limit) => `Das Limit von ${limit} E-Mails innerhalb von 24 Stunden ist erreicht.`,
  },

  activity: {
    actions: {
      'password.set': 'Passwort von Mitarbeitenden festgelegt',
      'reset_link.send': 'Link zum Zurücksetzen gesendet',
      'invite.send': 'Willkommens-E-Mail gesendet',
      'client.update': 'Angaben geändert',
      'client.create': 'Kunde angelegt',
      'client.provision': 'Von Ihrem System aktualisiert',
      'client.match':
        'E-Mail-Adresse oder Benutzername von Mitarbeitenden eines anderen Unternehmens eingegeben',
      login: 'Anmeldung',
      'password.reset': 'Passwort vom Kunden zurückgesetzt',
      'password.change': 'Passwort vom Kunden geändert',
      'password.force_change': 'Neues Passwort vom Kunden gewählt',
      'reset_link.request': 'Link zum Zurücksetzen angefordert',
      'email.verify': 'E-Mail-Adresse bestätigt',
      'link.renew': 'Neuer Link angefordert',
    },
    outcomes: { refused: ' (abgelehnt)', failed: ' (fehlgeschlagen)' },
    changes: {
      name: 'Name geändert',
      email: 'E-Mail-Adresse geändert',
      loginEnabled: 'Anmeldung aktiviert',
      loginDisabled: 'Anmeldung deaktiviert',
      emailConfirmed: 'E-Mail-Adresse als bestätigt markiert',
      emailUnconfirmed: 'E-Mail-Adresse als unbestätigt markiert',
    },
    otherCompanyStaff: 'Mitarbeitende eines anderen Unternehmens',
  },

  mail: {
    greeting: (name) => (name ? `Hallo ${name},` : 'Guten Tag,'),
    signOff: (tenant) => `Ihr Team von ${tenant}`,
    footer: (tenant) => `Diese Nachricht wurde automatisch von ${tenant} gesendet.`,
    linkFallback: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:',
    labelled: (text) => `${text}:`,
    invite: {
      subject: (tenant) => `Willkommen bei ${tenant}: Legen Sie Ihr Passwort fest`,
      intro: (tenant) => `${tenant} hat ein Konto für Sie angelegt. Legen Sie zunächst Ihr Passwort fest.`,
      action: 'Passwort festlegen',
      codeLabel: 'Sie machen auf einem anderen Gerät weiter? Geben Sie dort diesen Code ein:',
      untilUsed: 'Link und Code gelten, bis Sie sie verwenden oder eine neuere Einladung gesendet wird.',
      until: (date, within) =>
        'Link und Code gelten, bis Sie sie verwenden oder eine neuere Einladung gesendet wird' +
        (within ? `, höchstens jedoch ${within}, also bis ${date}.` : `, längstens bis ${date}.`),
      notExpected: 'Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.',
    },
    reset: {
      subject: (tenant) => `Setzen Sie Ihr Passwort für ${tenant} zurück`,
      intro: (tenant) =>
        `Wir haben eine Anfrage erhalten, das Passwort Ihres Kontos bei ${tenant} zurückzusetzen. Wählen Sie über die Schaltfläche unten ein neues Passwort.`,
      action: 'Neues Passwort wählen',
      codeLabel: 'Sie machen auf einem anderen Gerät weiter? Geben Sie dort diesen Code ein:',
      until: (date, within) =>
        (within ? `Sie haben dafür ${within} Zeit: Link und Code` : 'Link und Code') +
        ` laufen am ${date} ab. Nur die neueste E-Mail ist gültig.`,
      ignore:
        'Falls Sie dies nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
      voidedIntro: (tenant) =>
        `Zu Ihrer Sicherheit funktioniert das Passwort Ihres Kontos bei ${tenant} nach einer Änderung an Ihrem Konto nicht mehr: Es könnte Mitarbeitenden bekannt gewesen sein. Wählen Sie über die Schaltfläche unten ein neues Passwort.`,
      voidedNote: 'Sobald Sie es gewählt haben, können Sie sich wieder anmelden.',
    },
    credentials: {
      subject: (tenant) => `Ihre Anmeldedaten für ${tenant}`,
      intro: (tenant) =>
        `${tenant} hat ein Passwort für Ihr Konto festgelegt. Melden Sie sich mit diesen Daten an:`,
      identifierLabel: 'Anmelden mit:',
      passwordLabel: 'Passwort:',
      action: 'Anmelden',
      mustChange: 'Bei der ersten Anmeldung werden Sie gebeten, ein neues Passwort zu wählen.',
      until: (date, within) =>
        within
          ? `Dieses Passwort gilt ${within} lang und läuft am ${date} ab.`
          : `Dieses Passwort läuft am ${date} ab.`,
      keepPrivate:
        'Geben Sie dieses Passwort nicht weiter und löschen Sie diese E-Mail, sobald Sie sich angemeldet haben.',
    },
    passwordChanged: {
      subject: (tenant) => `Ihr Passwort für ${tenant} wurde geändert`,
      body: (tenant, date, byStaff) =>
        byStaff
          ? `Das Passwort Ihres Kontos bei ${tenant} wurde am ${date} von Mitarbeitenden geändert.`
          : `Das Passwort Ihres Kontos bei ${tenant} wurde am ${date} geändert.`,
      notYou: (tenant, byStaff) =>
        byStaff
          ? `Falls Sie diese Änderung nicht angefordert haben, wenden Sie sich an ${tenant}.`
          : `Falls Sie das nicht waren, wenden Sie sich an ${tenant}.`,
    },
    passwordSet: {
      subject: (tenant) => `Ihr Passwort für ${tenant} ist festgelegt`,
      body: (tenant, date) => `Sie haben am ${date} das Passwort Ihres Kontos bei ${tenant} festgelegt.`,
      ready: 'Ihr Konto ist bereit: Sie können sich jetzt anmelden.',
      notYou: (tenant) => `Falls Sie das nicht waren, wenden Sie sich an ${tenant}.`,
    },
    emailChanged: {
      subject: (tenant) => `Die E-Mail-Adresse Ihres Kontos bei ${tenant} wurde geändert`,
      body: (tenant, date, masked) =>
        `Die E-Mail-Adresse Ihres Kontos bei ${tenant} wurde am ${date} in ${masked} geändert. ` +
        `Nachrichten von ${tenant} gehen ab jetzt an die neue Adresse.`,
      notYou: (tenant) => `Falls Sie das nicht waren, wenden Sie sich umgehend an ${tenant}.`,
    },
    verifyEmail: {
      subject: (tenant) => `Bestätigen Sie Ihre E-Mail-Adresse für ${tenant}`,
      intro: (tenant) =>
        `Bitte bestätigen Sie, dass dies Ihre E-Mail-Adresse für Ihr Konto bei ${tenant} ist.`,
      action: 'E-Mail-Adresse bestätigen',
      until: (date, within) =>
        within ? `Der Link gilt ${within} lang und läuft am ${date} ab.` : `Der Link läuft am ${date} ab.`,
      ignore: 'Falls Sie dies nicht angefordert haben, ignorieren Sie diese E-Mail.',
    },
  },

  pages: {
    portal: 'Kundenportal',
    titles: {
      forgot: 'Passwort vergessen',
      reset: 'Neues Passwort wählen',
      welcome: 'Willkommen',
      'verify-email': 'E-Mail-Adresse bestätigen',
      login: 'Anmelden',
    },
    needsScript:
      'Diese Seite benötigt JavaScript. Aktivieren Sie es in Ihrem Browser und laden Sie die Seite dann neu.',
    backToLogin: 'Zurück zur Anmeldung',
    forgotPassword: 'Passwort vergessen?',
    logIn: 'Anmelden',
    identifier: 'Benutzername oder E-Mail-Adresse',
    password: 'Passwort',
    networkError: 'Der Server ist nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.',
    signedInTitle: 'Sie sind angemeldet',
    signedInAs: 'Angemeldet als',
    changePassword: 'Passwort ändern',
    logOut: 'Abmelden',
    passwordChanged: 'Ihr neues Passwort ist gespeichert.',
  },
};
