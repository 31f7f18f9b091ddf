/**
 * Everything the server says in Portuguese (Brazil), addressing the reader as você. A tenant's
 * name stands in apposition ("sua conta Harbor Fitness", as in "sua conta Google"), so no
 * preposition has to agree with a name's unknown gender; outcomes are nouns for the same reason.
 */
import type { ServerText } from './server-text.js';

export const pt: ServerText = {
  errors: {
    invalid_request: 'Verifique os campos e tente novamente.',
    unsupported_media_type: 'Não foi possível enviar a solicitação. Tente novamente.',
    payload_too_large: 'O texto digitado é longo demais.',
    not_found: 'Não encontrado.',
    unauthorized: 'É necessário um token válido da equipe.',
    forbidden: 'Você não tem permissão para fazer isso.',
    link_invalid: 'Este link não é válido. Copie o link completo do e-mail ou peça um novo.',
    link_expired: 'Este link expirou.',
    link_used: 'Este link já foi usado.',
    link_replaced: 'Um link mais recente foi enviado. Use o e-mail mais recente.',
    link_revoked: 'Este link não funciona mais porque a conta foi alterada.',
    password_rejected: 'A senha não atende às regras.',
    invalid_credentials: 'Nome de usuário ou senha incorretos.',
    account_disabled: 'Esta conta está desativada. Entre em contato com a recepção.',
    email_not_confirmed: 'Confirme primeiro seu endereço de e-mail: enviamos um link para você.',
    too_many_attempts: 'Muitas tentativas. Aguarde um momento e tente novamente.',
    temporary_password_expired: 'Esta senha temporária expirou. Peça uma nova na recepção.',
    challenge_invalid: 'Esta etapa expirou. Entre novamente com sua senha temporária.',
    session_invalid: 'Sua sessão terminou. Entre novamente.',
    email_in_use: 'Este endereço de e-mail já está em uso.',
    username_in_use: 'Este nome de usuário já está em uso.',
    id_in_use: 'Este cliente já existe.',
    invalid_email: 'Este endereço de e-mail não é válido.',
    temporary_unavailable:
      'Indisponível: este cliente pertence a mais de uma empresa, por isso a equipe não pode conhecer a senha dele.',
    custom_unavailable: 'Indisponível: a equipe não pode escolher a senha deste cliente.',
    email_change_unavailable: 'Indisponível: este cliente pertence a mais de uma empresa.',
    no_email: 'Este cliente não tem endereço de e-mail cadastrado.',
    resend_limit: 'O limite de e-mails para este cliente em 24 horas foi atingido.',
    mail_failed: 'Não foi possível enviar o e-mail. Nada foi alterado; tente novamente.',
    code_invalid: 'Este código não é válido. Confira o e-mail mais recente e tente novamente.',
    storage_unavailable: 'O serviço está temporariamente indisponível. Tente novamente em instantes.',
    server_busy: 'O serviço está sobrecarregado. Tente novamente em instantes.',
    shared_client_unavailable:
      'Indisponível: este cliente pertence a mais de uma empresa, por isso só o seu sistema pode alterar isso.',
    email_not_vouched:
      'Indisponível: este cliente pertence a mais de uma empresa e o e-mail dele foi digitado pela equipe. O seu sistema precisa confirmar o endereço primeiro.',
    conflict: 'Outra pessoa alterou isso ao mesmo tempo. Tente novamente.',
    internal_error: 'Algo deu errado. Tente novamente.',
  },

  invalidField: {
    withRule: (field, rule) => `O campo “${field}” não é válido: ${rule}.`,
    missing: (field) => `O campo “${field}” está ausente ou não é válido.`,
    body: 'O conteúdo da solicitação não é válido.',
  },

  reasons: {
    shared: 'Este cliente pertence a mais de uma empresa, por isso a equipe não pode conhecer a senha dele.',
    forbidden: 'Sua empresa não permite que a equipe escolha senhas.',
    noEmail: 'Nenhum endereço de e-mail cadastrado.',
    emailShared:
      'Este cliente pertence a mais de uma empresa: só o cliente ou o seu sistema pode alterar o e-mail dele.',
    settingsShared:
      'Este cliente pertence a mais de uma empresa: só o seu sistema pode alterar o nome e as configurações de acesso dele.',
    unvouched:
      'Este cliente pertence a mais de uma empresa e o e-mail dele foi digitado pela equipe: o seu sistema precisa confirmar o endereço primeiro.',
    budget: (limit) => `O limite de ${limit} e-mails em 24 horas foi atingido.`,
  },

  activity: {
    actions: {
      'password.set': 'Senha definida pela equipe',
      'reset_link.send': 'Link de redefinição enviado',
      'invite.send': 'E-mail de boas-vindas enviado',
      'client.update': 'Dados alterados',
      'client.create': 'Cliente criado',
      'client.provision': 'Atualizado pelo seu sistema',
      'client.match': 'E-mail ou nome de usuário digitado pela equipe de outra empresa',
      login: 'Acesso',
      'password.reset': 'Senha redefinida pelo cliente',
      'password.change': 'Senha alterada pelo cliente',
      'password.force_change': 'Nova senha escolhida pelo cliente',
      'reset_link.request': 'Link de redefinição solicitado',
      'email.verify': 'E-mail confirmado',
      'link.renew': 'Novo link solicitado',
    },
    outcomes: { refused: ' (recusa)', failed: ' (falha)' },
    changes: {
      name: 'Nome alterado',
      email: 'E-mail alterado',
      loginEnabled: 'Acesso ativado',
      loginDisabled: 'Acesso desativado',
      emailConfirmed: 'E-mail marcado como confirmado',
      emailUnconfirmed: 'E-mail marcado como não confirmado',
    },
    otherCompanyStaff: 'a equipe de outra empresa',
  },

  mail: {
    greeting: (name) => (name ? `Olá, ${name},` : 'Olá,'),
    signOff: (tenant) => `Equipe ${tenant}`,
    footer: (tenant) => `Esta mensagem foi enviada automaticamente por ${tenant}.`,
    linkFallback: 'Se o botão não funcionar, copie este endereço no seu navegador:',
    labelled: (text) => `${text}:`,
    invite: {
      subject: (tenant) => `Boas-vindas à sua conta ${tenant}: defina sua senha`,
      intro: (tenant) => `${tenant} criou uma conta para você. Para começar, escolha sua senha.`,
      action: 'Definir minha senha',
      codeLabel: 'Vai continuar em outro dispositivo? Digite este código lá:',
      untilUsed:
        'O link e o código funcionam até você usá-los ou até que um convite mais recente seja enviado.',
      until: (date, within) =>
        'O link e o código funcionam até você usá-los ou até que um convite mais recente seja enviado' +
        (within ? `, por no máximo ${within}: eles expiram em ${date}.` : `. Eles expiram em ${date}.`),
      notExpected: 'Se você não esperava este convite, pode ignorar este e-mail.',
    },
    reset: {
      subject: (tenant) => `Redefina a senha da sua conta ${tenant}`,
      intro: (tenant) =>
        `Recebemos uma solicitação para redefinir a senha da sua conta ${tenant}. Escolha uma nova senha pelo botão abaixo.`,
      action: 'Escolher uma nova senha',
      codeLabel: 'Vai continuar em outro dispositivo? Digite este código lá:',
      until: (date, within) =>
        (within ? `Use-os em até ${within}: o link` : 'O link') +
        ` e o código expiram em ${date}. Só o e-mail mais recente funciona.`,
      ignore: 'Se você não fez esta solicitação, ignore este e-mail: sua senha continua a mesma.',
      voidedIntro: (tenant) =>
        `Para sua segurança, a senha da sua conta ${tenant} deixou de funcionar após uma alteração na sua conta: ela pode ter sido conhecida pela equipe. Escolha uma nova senha pelo botão abaixo.`,
      voidedNote: 'Você poderá entrar novamente assim que escolher a nova senha.',
    },
    credentials: {
      subject: (tenant) => `Seus dados de acesso à conta ${tenant}`,
      intro: (tenant) => `${tenant} definiu uma senha para sua conta. Entre com estes dados:`,
      identifierLabel: 'Entre com:',
      passwordLabel: 'Senha:',
      action: 'Entrar',
      mustChange: 'No primeiro acesso, você deverá escolher uma nova senha.',
      until: (date, within) =>
        within ? `Use esta senha em até ${within}: ela expira em ${date}.` : `Esta senha expira em ${date}.`,
      keepPrivate: 'Não compartilhe esta senha com ninguém e apague este e-mail depois de entrar.',
    },
    passwordChanged: {
      subject: (tenant) => `A senha da sua conta ${tenant} foi alterada`,
      body: (tenant, date, byStaff) =>
        byStaff
          ? `A senha da sua conta ${tenant} foi alterada pela equipe em ${date}.`
          : `A senha da sua conta ${tenant} foi alterada em ${date}.`,
      notYou: (tenant, byStaff) =>
        byStaff
          ? `Se você não pediu esta alteração, entre em contato com ${tenant}.`
          : `Se não foi você, entre em contato com ${tenant}.`,
    },
    passwordSet: {
      subject: (tenant) => `A senha da sua conta ${tenant} está definida`,
      body: (tenant, date) => `Você definiu a senha da sua conta ${tenant} em ${date}.`,
      ready: 'Sua conta está pronta: você já pode entrar.',
      notYou: (tenant) => `Se não foi você, entre em contato com ${tenant}.`,
    },
    emailChanged: {
      subject: (tenant) => `O e-mail da sua conta ${tenant} foi alterado`,
      body: (tenant, date, masked) =>
        `O endereço de e-mail da sua conta ${tenant} foi alterado para ${masked} em ${date}. ` +
        `A partir de agora, as mensagens de ${tenant} serão enviadas para o novo endereço.`,
      notYou: (tenant) => `Se não foi você, entre em contato com ${tenant} imediatamente.`,
    },
    verifyEmail: {
      subject: (tenant) => `Confirme seu endereço de e-mail na conta ${tenant}`,
      intro: (tenant) => `Confirme que este é o endereço de e-mail da sua conta ${tenant}.`,
      action: 'Confirmar meu endereço de e-mail',
      until: (date, within) =>
        within ? `Use o link em até ${within}: ele expira em ${date}.` : `O link expira em ${date}.`,
      ignore: 'Se você não fez esta solicitação, ignore este e-mail.',
    },
  },

  pages: {
    portal: 'Área do cliente',
    titles: {
      forgot: 'Esqueci minha senha',
      reset: 'Escolher uma nova senha',
      welcome: 'Boas-vindas',
      'verify-email': 'Confirme seu e-mail',
      login: 'Entrar',
    },
    needsScript: 'Esta página precisa de JavaScript. Ative-o no seu navegador e recarregue a página.',
    backToLogin: 'Voltar ao login',
    forgotPassword: 'Esqueceu a senha?',
    logIn: 'Entrar',
    identifier: 'Nome de usuário ou e-mail',
    password: 'Senha',
    networkError: 'Não foi possível acessar o servidor. Tente novamente em instantes.',
    signedInTitle: 'Você entrou na sua conta',
    signedInAs: 'Sessão iniciada como',
    changePassword: 'Alterar senha',
    logOut: 'Sair',
    passwordChanged: 'Sua nova senha foi salva.',
  },
};
