/**
 * Everything the server says in Spanish, addressing the reader as usted. Spanish typography:
 * opening ¿ and ¡, «» around a quoted name, no space before a colon, a colon after the greeting.
 */
import type { ServerText } from './server-text.js';

export const es: ServerText = {
  errors: {
    invalid_request: 'Revise los campos e inténtelo de nuevo.',
    unsupported_media_type: 'No se ha podido enviar la solicitud. Inténtelo de nuevo.',
    payload_too_large: 'El texto introducido es demasiado largo.',
    not_found: 'No se ha encontrado.',
    unauthorized: 'Se necesita un token válido del personal.',
    forbidden: 'No tiene permiso para hacer esto.',
    link_invalid:
      'Este enlace no es válido. Copie el enlace completo del correo electrónico o solicite uno nuevo.',
    link_expired: 'Este enlace ha caducado.',
    link_used: 'Este enlace ya se ha utilizado.',
    link_replaced: 'Se ha enviado un enlace más reciente. Utilice el último correo electrónico.',
    link_revoked: 'Este enlace ya no funciona porque la cuenta ha cambiado.',
    password_rejected: 'La contraseña no cumple las reglas.',
    invalid_credentials: 'Nombre de usuario o contraseña incorrectos.',
    account_disabled: 'Esta cuenta está desactivada. Póngase en contacto con la recepción.',
    email_not_confirmed: 'Confirme primero su dirección de correo electrónico: le hemos enviado un enlace.',
    too_many_attempts: 'Demasiados intentos. Espere un momento e inténtelo de nuevo.',
    temporary_password_expired: 'Esta contraseña temporal ha caducado. Pida una nueva en la recepción.',
    challenge_invalid: 'Este paso ha caducado. Vuelva a iniciar sesión con su contraseña temporal.',
    session_invalid: 'Su sesión ha finalizado. Vuelva a iniciar sesión.',
    email_in_use: 'Esta dirección de correo electrónico ya está en uso.',
    username_in_use: 'Este nombre de usuario ya está en uso.',
    id_in_use: 'Este cliente ya existe.',
    invalid_email: 'Esta dirección de correo electrónico no es válida.',
    temporary_unavailable:
      'No disponible: este cliente pertenece a varias empresas, por lo que el personal no puede conocer su contraseña.',
    custom_unavailable: 'No disponible: el personal no puede elegir la contraseña de este cliente.',
    email_change_unavailable: 'No disponible: este cliente pertenece a varias empresas.',
    no_email: 'Este cliente no tiene ninguna dirección de correo electrónico registrada.',
    resend_limit: 'Se ha alcanzado el límite de correos electrónicos a este cliente en 24 horas.',
    mail_failed:
      'No se ha podido enviar el correo electrónico. No se ha modificado nada; inténtelo de nuevo.',
    code_invalid: 'Este código no es válido. Revise el último correo electrónico e inténtelo de nuevo.',
    storage_unavailable:
      'El servicio no está disponible en este momento. Inténtelo de nuevo dentro de unos instantes.',
    server_busy: 'El servicio está muy solicitado. Inténtelo de nuevo dentro de unos instantes.',
    shared_client_unavailable:
      'No disponible: este cliente pertenece a varias empresas, por lo que solo su sistema puede modificar esto.',
    email_not_vouched:
      'No disponible: este cliente pertenece a varias empresas y su correo electrónico lo introdujo el personal. Su sistema debe confirmar primero la dirección.',
    conflict: 'Otra persona ha modificado esto al mismo tiempo. Inténtelo de nuevo.',
    internal_error: 'Se ha producido un error. Inténtelo de nuevo.',
  },

  invalidField: {
    withRule: (field, rule) => `El campo «${field}» no es válido: ${rule}.`,
    missing: (field) => `Falta el campo «${field}» o no es válido.`,
    body: 'El contenido de la solicitud no es válido.',
  },

  reasons: {
    shared:
      'Este cliente pertenece a varias empresas, por lo que el personal no puede conocer su contraseña.',
    forbidden: 'Su empresa no permite que el personal elija contraseñas.',
    noEmail: 'No hay ninguna dirección de correo electrónico registrada.',
    emailShared:
      'Este cliente pertenece a varias empresas: solo el cliente o su sistema pueden cambiar su correo electrónico.',
    settingsShared:
      'Este cliente pertenece a varias empresas: solo su sistema puede cambiar su nombre y su configuración de inicio de sesión.',
    unvouched:
      'Este cliente pertenece a varias empresas y su correo electrónico lo introdujo el personal: su sistema debe confirmar primero la dirección.',
    budget: (limit) => `Se ha alcanzado el límite de ${limit} correos electrónicos en 24 horas.`,
  },

  activity: {
    actions: {
      'password.set': 'Contraseña establecida por el personal',
      'reset_link.send': 'Enlace de restablecimiento enviado',
      'invite.send': 'Correo de bienvenida enviado',
      'client.update': 'Datos modificados',
      'client.create': 'Cliente creado',
      'client.provision': 'Actualizado por su sistema',
      'client.match': 'Correo electrónico o nombre de usuario introducido por el personal de otra empresa',
      login: 'Inicio de sesión',
      'password.reset': 'Contraseña restablecida por el cliente',
      'password.change': 'Contraseña cambiada por el cliente',
      'password.force_change': 'Nueva contraseña elegida por el cliente',
      'reset_link.request': 'Enlace de restablecimiento solicitado',
      'email.verify': 'Correo electrónico confirmado',
      'link.renew': 'Nuevo enlace solicitado',
    },
    // Nouns, so they agree with any label ("Contraseña establecida (rechazo)").
    outcomes: { refused: ' (rechazo)', failed: ' (error)' },
    changes: {
      name: 'Nombre modificado',
      email: 'Correo electrónico modificado',
      loginEnabled: 'Inicio de sesión activado',
      loginDisabled: 'Inicio de sesión desactivado',
      emailConfirmed: 'Correo electrónico marcado como confirmado',
      emailUnconfirmed: 'Correo electrónico marcado como no confirmado',
    },
    otherCompanyStaff: 'el personal de otra empresa',
  },

  mail: {
    greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
    signOff: (tenant) => `El equipo de ${tenant}`,
    footer: (tenant) => `${tenant} ha enviado este mensaje automáticamente.`,
    linkFallback: 'Si el botón no funciona, copie esta dirección en su navegador:',
    labelled: (text) => `${text}:`,
    invite: {
      subject: (tenant) => `Le damos la bienvenida a ${tenant}: elija su contraseña`,
      intro: (tenant) => `${tenant} ha creado una cuenta para usted. Para empezar, elija su contraseña.`,
      action: 'Elegir mi contraseña',
      codeLabel: '¿Va a continuar en otro dispositivo? Introduzca allí este código:',
      untilUsed:
        'El enlace y el código funcionan hasta que los utilice o hasta que se envíe una invitación más reciente.',
      until: (date, within) =>
        'El enlace y el código funcionan hasta que los utilice o hasta que se envíe una invitación más reciente' +
        (within ? `, durante ${within} como máximo: caducan el ${date}.` : `. Caducan el ${date}.`),
      notExpected: 'Si no esperaba esta invitación, puede ignorar este mensaje.',
    },
    reset: {
      subject: (tenant) => `Restablezca su contraseña de ${tenant}`,
      intro: (tenant) =>
        `Hemos recibido una solicitud para restablecer la contraseña de su cuenta de ${tenant}. Elija una nueva contraseña con el botón de abajo.`,
      action: 'Elegir una nueva contraseña',
      codeLabel: '¿Va a continuar en otro dispositivo? Introduzca allí este código:',
      until: (date, within) =>
        (within ? `Utilícelos en un plazo de ${within}: el enlace` : 'El enlace') +
        ` y el código caducan el ${date}. Solo funciona el mensaje más reciente.`,
      ignore: 'Si no lo ha solicitado usted, ignore este mensaje: su contraseña seguirá siendo la misma.',
      voidedIntro: (tenant) =>
        `Por su seguridad, la contraseña de su cuenta de ${tenant} ha dejado de funcionar tras un cambio en su cuenta: es posible que el personal la conociera. Elija una nueva contraseña con el botón de abajo.`,
      voidedNote: 'Podrá volver a iniciar sesión en cuanto la haya elegido.',
    },
    credentials: {
      subject: (tenant) => `Sus datos de acceso a ${tenant}`,
      intro: (tenant) =>
        `${tenant} ha establecido una contraseña para su cuenta. Inicie sesión con estos datos:`,
      identifierLabel: 'Inicie sesión con:',
      passwordLabel: 'Contraseña:',
      action: 'Iniciar sesión',
      mustChange: 'La primera vez que inicie sesión, se le pedirá que elija una nueva contraseña.',
      until: (date, within) =>
        within
          ? `Utilice esta contraseña en un plazo de ${within}: caduca el ${date}.`
          : `Esta contraseña caduca el ${date}.`,
      keepPrivate:
        'No comparta esta contraseña con nadie y elimine este mensaje en cuanto haya iniciado sesión.',
    },
    passwordChanged: {
      subject: (tenant) => `Se ha cambiado su contraseña de ${tenant}`,
      body: (tenant, date, byStaff) =>
        byStaff
          ? `El personal cambió la contraseña de su cuenta de ${tenant} el ${date}.`
          : `La contraseña de su cuenta de ${tenant} se cambió el ${date}.`,
      notYou: (tenant, byStaff) =>
        byStaff
          ? `Si no ha solicitado este cambio, póngase en contacto con ${tenant}.`
          : `Si no ha sido usted, póngase en contacto con ${tenant}.`,
    },
    passwordSet: {
      subject: (tenant) => `Se ha establecido su contraseña de ${tenant}`,
      body: (tenant, date) => `Estableció la contraseña de su cuenta de ${tenant} el ${date}.`,
      ready: 'Su cuenta está lista: ya puede iniciar sesión.',
      notYou: (tenant) => `Si no ha sido usted, póngase en contacto con ${tenant}.`,
    },
    emailChanged: {
      subject: (tenant) => `Se ha cambiado la dirección de correo electrónico de su cuenta de ${tenant}`,
      body: (tenant, date, masked) =>
        `La dirección de correo electrónico de su cuenta de ${tenant} se cambió a ${masked} el ${date}. ` +
        `A partir de ahora, los mensajes de ${tenant} se enviarán a la nueva dirección.`,
      notYou: (tenant) => `Si no ha sido usted, póngase en contacto con ${tenant} de inmediato.`,
    },
    verifyEmail: {
      subject: (tenant) => `Confirme su dirección de correo electrónico para ${tenant}`,
      intro: (tenant) =>
        `Confirme que esta es su dirección de correo electrónico para su cuenta de ${tenant}.`,
      action: 'Confirmar mi dirección de correo electrónico',
      until: (date, within) =>
        within
          ? `Utilice el enlace en un plazo de ${within}: caduca el ${date}.`
          : `El enlace caduca el ${date}.`,
      ignore: 'Si no lo ha solicitado usted, ignore este mensaje.',
    },
  },

  pages: {
    portal: 'Área de clientes',
    titles: {
      forgot: 'Contraseña olvidada',
      reset: 'Elegir una nueva contraseña',
      welcome: 'Le damos la bienvenida',
      'verify-email': 'Confirme su correo electrónico',
      login: 'Iniciar sesión',
    },
    needsScript: 'Esta página necesita JavaScript. Actívelo en su navegador y vuelva a cargar la página.',
    backToLogin: 'Volver al inicio de sesión',
    forgotPassword: '¿Ha olvidado su contraseña?',
    logIn: 'Iniciar sesión',
    identifier: 'Nombre de usuario o correo electrónico',
    password: 'Contraseña',
    networkError: 'No se ha podido conectar con el servidor. Inténtelo de nuevo en un momento.',
    signedInTitle: 'Ha iniciado sesión',
    signedInAs: 'Sesión iniciada como',
    changePassword: 'Cambiar la contraseña',
    logOut: 'Cerrar sesión',
    passwordChanged: 'Su nueva contraseña se ha guardado.',
  },
};
