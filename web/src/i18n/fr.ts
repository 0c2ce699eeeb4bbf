// Textes français (terminologie des missions de l'ONU, p. ex. MINUSCA). Les clés sont celles
// de en.ts, ni plus ni moins : le type Record<CoreMessageKey, string> l'impose.
// Typographie : espace insécable (U+00A0) avant « : ; ? ! » et à l'intérieur des guillemets.

import type { CoreMessageKey } from './en';

export const fr: Record<CoreMessageKey, string> = {
  // ---- Application
  'app.tagline': 'Équipe Déontologie et Discipline',
  'app.skip': 'Aller au contenu principal',
  'app.loading': 'Chargement…',
  'app.demoBanner': 'DONNÉES DE DÉMONSTRATION — pas pour de vrais dossiers',
  'app.language': 'Langue',
  'app.signedInAs': 'Connecté(e) en tant que',
  'app.logout': 'Se déconnecter',
  'app.mainNav': 'Navigation principale',
  'app.sessionExpired': 'Votre session a pris fin. Veuillez vous reconnecter.',
  'app.loggedOut': 'Vous êtes déconnecté(e).',
  'app.retry': 'Réessayer',
  'app.unreachableTitle': 'psea est injoignable',
  'app.footer': 'Accès restreint : réservé au personnel autorisé des Nations Unies.',

  // ---- Navigation
  'nav.home': 'Accueil',
  'nav.users': 'Utilisateurs',
  'nav.audit': 'Journal d’audit',
  'nav.tokens': 'Jetons d’API',
  'nav.account': 'Mon compte',
  'nav.plans': 'Plan d’action',
  'nav.my': 'Mes activités',
  'nav.units': 'Unités',
  'nav.intakeNew': 'Nouvelle plainte',
  'nav.intake': 'Plaintes',
  'nav.intakeAlerts': '{n} urgente(s), sans accusé de réception',
  'nav.intakeVictims': 'Volet victimes',
  'nav.intakeFigures': 'Chiffres des plaintes',

  // ---- Mots communs
  'common.required': 'obligatoire',
  'common.save': 'Enregistrer',
  'common.cancel': 'Annuler',
  'common.close': 'Fermer',
  'common.actions': 'Actions',
  'common.never': 'Jamais',
  'common.copy': 'Copier',
  'common.copied': 'Copié dans le presse-papiers.',
  'common.copyFailed': 'Copie impossible : sélectionnez le texte et copiez-le manuellement.',
  'common.show': 'Afficher',
  'common.hide': 'Masquer',
  'common.working': 'Veuillez patienter…',

  // ---- Connexion
  'login.title': 'Connexion',
  'login.intro':
    'Gestion des dossiers de l’Équipe Déontologie et Discipline. Accès réservé au personnel autorisé.',
  'login.username': 'Nom d’utilisateur',
  'login.password': 'Mot de passe',
  'login.totpFor': 'Authentification à deux facteurs pour {username}.',
  'login.totpCode': 'Code d’authentification',
  'login.totpHint': 'Le code à 6 chiffres affiché par votre application d’authentification.',
  'login.submit': 'Se connecter',
  'login.verify': 'Vérifier',
  'login.busy': 'Connexion en cours…',
  'login.back': 'Recommencer',
  'login.missing': 'Saisissez votre nom d’utilisateur et votre mot de passe.',
  'login.codeFormat': 'Saisissez les 6 chiffres du code.',
  'login.help':
    'Mot de passe oublié ou téléphone perdu ? Contactez l’administrateur psea de votre mission.',

  // ---- Activation de l'authentification à deux facteurs
  'enrol.title': 'Configurer l’authentification à deux facteurs',
  'enrol.required':
    'Votre rôle exige l’authentification à deux facteurs. Configurez-la maintenant : vous ne pourrez pas utiliser psea avant.',
  'enrol.starting': 'Préparation de votre clé…',
  'enrol.step1':
    'Installez une application d’authentification sur votre téléphone, par exemple FreeOTP, Aegis, Google Authenticator ou Microsoft Authenticator.',
  'enrol.step2': 'Dans l’application, ajoutez un compte et scannez ce code QR.',
  'enrol.qrLabel': 'Code QR à scanner avec votre application d’authentification',
  'enrol.manual': 'Si vous ne pouvez pas le scanner, saisissez cette clé manuellement :',
  'enrol.manualDetails': 'Type : basé sur le temps (TOTP), 6 chiffres, toutes les 30 secondes.',
  'enrol.step3': 'Saisissez le code à 6 chiffres que l’application affiche maintenant, pour confirmer.',
  'enrol.code': 'Code de l’application',
  'enrol.confirm': 'Confirmer',
  'enrol.done': 'L’authentification à deux facteurs est maintenant activée.',
  'enrol.doneNext':
    'Désormais, psea vous demandera un code de l’application à chaque connexion.',
  'enrol.continue': 'Continuer',
  'enrol.alreadyEnabled': 'L’authentification à deux facteurs est déjà activée sur votre compte.',
  'enrol.backToAccount': 'Retour à mon compte',
  'enrol.keepSecret':
    'Ne communiquez jamais cette clé ni vos codes à qui que ce soit, y compris à vos collègues et aux administrateurs.',

  // ---- Accueil
  'home.title': 'Bienvenue, {name}',
  'home.role': 'Vous êtes connecté(e) avec le rôle : {role}.',
  'home.demo':
    'Ceci est une installation de démonstration. Saisissez uniquement des données fictives, jamais de vrais dossiers.',
  'home.totpRecommended':
    'L’authentification à deux facteurs n’est pas activée sur votre compte. Nous vous recommandons de la configurer.',
  'home.modules': 'Modules accessibles à votre rôle',
  'home.module.home': 'Cette page.',
  'home.module.plans': 'Le plan d’action EAS : la matrice des activités mois par mois, les rapports d’avancement, les indicateurs.',
  'home.module.my': 'Les activités que vos unités pilotent ou appuient : ce qui est à faire ce mois-ci et ce qui est en retard.',
  'home.module.intakeNew': 'Enregistrer une plainte reçue par le numéro vert, au bureau ou dans la communauté, et donner le code de suivi.',
  'home.module.intake': 'Les plaintes reçues, les urgentes d’abord : accuser réception, attribuer, évaluer, écrire à la personne qui signale.',
  'home.module.intakeVictims': 'Le volet victimes des plaintes dont les victimes ont besoin d’assistance, les urgentes d’abord ; leurs identités pour les lecteurs du volet victimes.',
  'home.module.intakeFigures': 'Combien de plaintes, par mois, canal, lieu, catégorie et type ; en combien de temps elles reçoivent un accusé de réception et sont évaluées.',
  'home.module.units': 'Les unités qui mettent en œuvre le plan (CDT, Force, Police, agences…) et leurs points focaux.',
  'home.module.users':
    'Créer des comptes, attribuer les rôles, désactiver des comptes et réinitialiser l’authentification à deux facteurs.',
  'home.module.audit':
    'Consulter et exporter le journal infalsifiable de toutes les actions effectuées dans psea.',
  'home.module.tokens': 'Émettre et révoquer les clés de la passerelle SMS et des systèmes partenaires.',
  'home.module.account': 'Changer votre mot de passe et gérer votre authentification à deux facteurs.',
  'home.more':
    'D’autres modules (dossiers, assistance aux victimes…) apparaîtront ici dès qu’ils seront activés pour votre rôle.',

  // ---- Mon compte
  'account.title': 'Mon compte',
  'account.profile': 'Profil',
  'account.password': 'Changer mon mot de passe',
  'account.currentPassword': 'Mot de passe actuel',
  'account.newPassword': 'Nouveau mot de passe',
  'account.newPasswordHint':
    'Au moins {min} caractères. Une phrase de passe de plusieurs mots est facile à retenir et difficile à deviner.',
  'account.repeatPassword': 'Répétez le nouveau mot de passe',
  'account.changePassword': 'Changer le mot de passe',
  'account.passwordChanged': 'Votre mot de passe a été modifié.',
  'account.mustChange':
    'Votre mot de passe actuel a été choisi par un administrateur. Choisissez le vôtre ci-dessous avant de continuer : il protège les dossiers que vous seul pouvez lire.',
  'account.currentMissing': 'Saisissez votre mot de passe actuel.',
  'account.mismatch': 'Les deux nouveaux mots de passe ne sont pas identiques.',
  'account.wrongCurrent': 'Le mot de passe actuel est incorrect.',
  'account.totp': 'Authentification à deux facteurs',
  'account.totpOn':
    'psea vous demande un code de votre application d’authentification à chaque connexion.',
  'account.totpOff':
    'L’activer protège votre compte même si votre mot de passe est volé.',
  'account.totpRequired': 'Votre rôle l’exige.',
  'account.totpLost':
    'Téléphone perdu ou remplacé ? Demandez à un administrateur de réinitialiser votre authentification à deux facteurs.',
  'account.enrol': 'Configurer l’authentification à deux facteurs',

  // ---- Utilisateurs
  'users.title': 'Utilisateurs',
  'users.create': 'Créer un utilisateur',
  'users.username': 'Nom d’utilisateur',
  'users.usernameHint': 'Sert à se connecter, par exemple marie.dupont.',
  'users.usernameMissing': 'Saisissez un nom d’utilisateur.',
  'users.usernameTaken': 'Ce nom d’utilisateur est déjà pris.',
  'users.displayName': 'Nom affiché',
  'users.displayNameHint': 'Nom complet, tel que les collègues le connaissent.',
  'users.role': 'Rôle',
  'users.chooseRole': 'Choisissez un rôle…',
  'users.roleWithTotp': '{role} (2FA obligatoire)',
  'users.roleTotpHint':
    'Ce rôle doit configurer l’authentification à deux facteurs à la première connexion.',
  'users.roleMissing': 'Choisissez un rôle.',
  'users.password': 'Mot de passe initial',
  'users.passwordRule':
    'Au moins {min} caractères. Transmettez-le à la personne de manière sûre (en personne ou par téléphone, jamais dans le même message que le nom d’utilisateur).',
  'users.generate': 'Générer un mot de passe',
  'users.submitCreate': 'Créer l’utilisateur',
  'users.created': 'Utilisateur {username} créé.',
  'users.list': 'Tous les utilisateurs',
  'users.empty': 'Aucun utilisateur pour l’instant.',
  'users.you': '(vous)',
  'users.status': 'Statut',
  'users.active': 'Actif',
  'users.disabled': 'Désactivé',
  'users.totp': 'Authentification à deux facteurs',
  'users.totpOn': 'Activée',
  'users.totpOff': 'Non configurée',
  'users.totpOffRequired': 'Non configurée (obligatoire)',
  'users.lastLogin': 'Dernière connexion',
  'users.manage': 'Gérer',
  'users.manageTitle': 'Gérer {username}',
  'users.nameChanged': 'Nom affiché enregistré.',
  'users.changeRole': 'Rôle',
  'users.roleChanged': 'Rôle modifié.',
  'users.changeRoleButton': 'Changer le rôle',
  'users.roleQuestion':
    'Donner à {username} le rôle « {role} » ? Ses sessions prennent fin et, si cette personne lit les identités des plaintes, elle cesse aussitôt de les lire.',
  'users.resetPasswordQuestion':
    'Réinitialiser le mot de passe de {username} ? Ses sessions prennent fin et, si cette personne lit les identités des plaintes, elle cesse aussitôt de les lire.',
  'users.selfRole': 'Vous ne pouvez pas changer votre propre rôle : demandez à un autre administrateur.',
  'users.disable': 'Désactiver le compte',
  'users.enable': 'Réactiver le compte',
  'users.disableHelp':
    'Un compte désactivé ne peut plus se connecter ; ses données et son historique sont conservés.',
  'users.disableConfirm': 'Désactiver le compte de {username} ?',
  'users.enableConfirm': 'Réactiver le compte de {username} ?',
  'users.disabledDone': 'Compte désactivé.',
  'users.enabledDone': 'Compte réactivé.',
  'users.selfDisable': 'Vous ne pouvez pas désactiver votre propre compte.',
  'users.resetTotp': 'Réinitialiser l’authentification à deux facteurs',
  'users.resetTotpHelp':
    'À utiliser si la personne a perdu son téléphone : elle devra configurer de nouveau l’authentification à deux facteurs à sa prochaine connexion.',
  'users.resetTotpConfirm': 'Réinitialiser l’authentification à deux facteurs de {username} ?',
  'users.resetTotpDone': 'Authentification à deux facteurs réinitialisée.',
  'users.selfPassword': 'Pour changer votre propre mot de passe, utilisez Mon compte.',
  'users.resetPassword': 'Réinitialiser le mot de passe',
  'users.newPassword': 'Nouveau mot de passe',
  'users.resetPasswordWarning':
    'Attention : après une réinitialisation du mot de passe, cette personne perd l’accès aux dossiers chiffrés jusqu’à ce qu’un(e) collègue le lui accorde de nouveau ou que la procédure de récupération soit utilisée.',
  'users.resetPasswordDone':
    'Mot de passe réinitialisé. Transmettez le nouveau mot de passe à la personne de manière sûre.',

  // ---- Journal d'audit
  'audit.title': 'Journal d’audit',
  'audit.intro':
    'Chaque action effectuée dans psea est enregistrée dans une chaîne de hachage, de sorte que toute altération peut être détectée.',
  'audit.filters': 'Filtres',
  'audit.actor': 'Auteur (nom d’utilisateur)',
  'audit.actorColumn': 'Auteur',
  'audit.action': 'Action',
  'audit.actionHint': 'Par exemple user.create',
  'audit.objectType': 'Type d’objet',
  'audit.objectTypeHint': 'Par exemple user',
  'audit.from': 'Du (date)',
  'audit.to': 'Au (date)',
  'audit.dateOrder': 'La date de fin est antérieure à la date de début.',
  'audit.apply': 'Appliquer les filtres',
  'audit.clear': 'Effacer les filtres',
  'audit.export': 'Exporter en CSV',
  'audit.time': 'Date et heure',
  'audit.object': 'Objet',
  'audit.requestId': 'Identifiant de requête',
  'audit.system': 'système',
  'audit.shown': 'Entrées affichées : {count}',
  'audit.loadOlder': 'Charger les entrées plus anciennes',
  'audit.end': 'Il n’y a pas d’entrées plus anciennes.',
  'audit.empty': 'Aucune entrée ne correspond à ces filtres.',

  // ---- Jetons d'API
  'tokens.title': 'Jetons d’API',
  'tokens.intro':
    'Les jetons permettent à d’autres systèmes (passerelle SMS, organisations partenaires) d’échanger des données avec psea. Attribuez à chaque système son propre jeton, limité aux autorisations dont il a besoin.',
  'tokens.create': 'Créer un jeton',
  'tokens.name': 'Nom',
  'tokens.nameHint': 'À quoi sert le jeton, par exemple Passerelle SMS.',
  'tokens.nameMissing': 'Saisissez un nom.',
  'tokens.scopes': 'Autorisations',
  'tokens.scope.intakeSms': 'recevoir les plaintes envoyées par SMS',
  'tokens.scope.intakePartner': 'recevoir les signalements des organisations partenaires',
  'tokens.scope.metricsRead': 'lire les métriques de supervision',
  'tokens.gateway': 'Passerelle SMS',
  'tokens.gatewayHint': 'Le programme qui utilisera ce jeton : il détermine comment arrivent les messages et comment la personne reçoit la réponse.',
  'tokens.gatewayShown': 'passerelle : {gateway}',
  'tokens.gateway.generic': 'Générique (JSON ou formulaire signé)',
  'tokens.gateway.kannel': 'Kannel',
  'tokens.gateway.rapidpro': 'Webhook RapidPro / TextIt',
  'tokens.gateway.africastalking': "Africa's Talking",
  'tokens.gateway.twilio': 'Twilio',
  'tokens.gateway.smssync': 'SMSSync (Ushahidi)',
  'tokens.gateway.android': 'SMS Gateway for Android',
  'tokens.scopeRequired': 'Choisissez au moins une autorisation.',
  'tokens.expiry': 'Durée de validité (jours)',
  'tokens.expiryHint': 'De 1 à {max} jours.',
  'tokens.expiryRange': 'Saisissez un nombre entier de jours, de 1 à {max}.',
  'tokens.submit': 'Créer le jeton',
  'tokens.secretTitle': 'Jeton créé : copiez son secret maintenant',
  'tokens.secretOnce':
    'Ce secret n’est affiché qu’une seule fois. Enregistrez-le dans la configuration de l’autre système ; psea ne pourra plus l’afficher.',
  'tokens.secretLabel': 'Secret de {name}',
  'tokens.settings': 'Réglages de la passerelle',
  'tokens.settingsOf': 'Réglages de la passerelle de {name}',
  'tokens.settingsTitle': 'Réglages de la passerelle : {name}',
  'tokens.stored': 'Je l’ai enregistré',
  'tokens.list': 'Jetons',
  'tokens.createdAt': 'Créé le',
  'tokens.expiresAt': 'Expire le',
  'tokens.createdBy': 'Créé par',
  'tokens.status': 'Statut',
  'tokens.active': 'Actif',
  'tokens.revoked': 'Révoqué',
  'tokens.expired': 'Expiré',
  'tokens.revoke': 'Révoquer',
  'tokens.revokeConfirm':
    'Révoquer {name} ? Les systèmes qui l’utilisent cesseront immédiatement de fonctionner.',
  'tokens.revokedDone': 'Jeton {name} révoqué.',
  'tokens.empty': 'Aucun jeton pour l’instant.',

  // ---- Plan d'action : titres des pages (le reste de ses textes est dans plan.fr.ts)
  'intake.complaintTitle': 'Plainte',
  'intake.readersTitle': 'Lecteurs des plaintes',
  'intake.placesTitle': 'Lieux',
  'intake.seaTypesTitle': 'Types d’EAS',
  'plan.title': 'Plan d’action',
  'versions.title': 'Versions du plan',
  'activity.title': 'Activité',
  'report.title': 'Rapport d’avancement',

  // ---- Confirmation des changements sensibles (celle avant d'ouvrir les identités est dans intake.fr.ts)
  'stepUp.legend': 'Confirmez votre identité',
  'stepUp.explainCode':
    'Confirmez avec votre mot de passe et un nouveau code de votre application d’authentification.',
  'stepUp.explainPassword': 'Confirmez avec votre mot de passe.',
  'stepUp.password': 'Votre mot de passe',
  'stepUp.code': 'Nouveau code de votre application d’authentification',
  'stepUp.codeHint': '6 chiffres. Un code ne sert qu’une fois : après un échec, attendez le suivant.',
  'stepUp.passwordMissing': 'Saisissez votre mot de passe.',
  'stepUp.wrongPassword': 'Votre mot de passe est incorrect.',
  'stepUp.codeMissing': 'Saisissez les 6 chiffres d’un nouveau code de votre application d’authentification.',

  // ---- Page introuvable
  'notFound.title': 'Page introuvable',
  'notFound.text': 'Cette page n’existe pas, ou votre rôle n’y donne pas accès.',
  'notFound.home': 'Aller à la page d’accueil',

  // ---- Rôles
  'role.admin': 'Administrateur(trice)',
  'role.cdt_chief': 'Chef(fe) de l’Équipe Déontologie et Discipline',
  'role.cdt_officer': 'Spécialiste Déontologie et Discipline',
  'role.intake_operator': 'Agent(e) de réception des plaintes',
  'role.vra': 'Défenseur(e) des droits des victimes',
  'role.investigator': 'Enquêteur(trice)',
  'role.cbcm_focal_point': 'Point focal du mécanisme communautaire de plaintes',
  'role.training_officer': 'Chargé(e) de formation',
  'role.risk_officer': 'Chargé(e) de la gestion des risques',
  'role.partner_focal_point': 'Point focal partenaire',
  'role.leadership': 'Direction de la Mission',

  // ---- Erreurs
  'errors.bad_json': 'La requête n’a pas pu être lue. Rechargez la page et réessayez.',
  'errors.validation_failed': 'Des informations manquent ou ne sont pas valides. Vérifiez le formulaire.',
  'errors.unknown_field': 'La requête contenait un champ inattendu. Rechargez la page et réessayez.',
  'errors.unauthenticated': 'Votre session a pris fin. Veuillez vous reconnecter.',
  'errors.invalid_credentials': 'Nom d’utilisateur ou mot de passe incorrect.',
  'errors.totp_required': 'Saisissez le code de votre application d’authentification.',
  'errors.totp_invalid':
    'Ce code est incorrect ou a déjà été utilisé. Attendez le code suivant et réessayez.',
  'errors.forbidden': 'Votre rôle ne permet pas cette action.',
  'errors.csrf_failed':
    'Le jeton de sécurité de votre session n’est plus valide. Rechargez la page et réessayez.',
  'errors.enrolment_required': 'Vous devez d’abord configurer l’authentification à deux facteurs.',
  'errors.password_change_required': 'Choisissez d’abord votre propre mot de passe (Mon compte).',
  'errors.reauth_required':
    'Confirmez d’abord votre identité : saisissez un nouveau code de votre application d’authentification.',
  'errors.not_found': 'Introuvable : l’élément a peut-être été supprimé.',
  'errors.method_not_allowed': 'Cette action n’est pas prise en charge.',
  'errors.conflict': 'Conflit avec des données existantes.',
  'errors.payload_too_large': 'Les données envoyées sont trop volumineuses.',
  'errors.unsupported_media_type': 'Ce type de données n’est pas accepté.',
  'errors.unprocessable': 'La requête n’a pas pu être traitée.',
  'errors.rate_limited': 'Trop de tentatives. Patientez un moment puis réessayez.',
  'errors.rate_limited_one': 'Trop de tentatives. Réessayez dans 1 minute.',
  'errors.rate_limited_minutes': 'Trop de tentatives. Réessayez dans {minutes} minutes.',
  'errors.internal':
    'Une erreur s’est produite sur le serveur. Réessayez ; si elle se reproduit, prévenez l’administrateur.',
  'errors.unavailable':
    'Le service est momentanément indisponible. Réessayez dans quelques minutes.',
  'errors.network': 'Le serveur est injoignable. Vérifiez votre connexion et réessayez.',
  'errors.weak_password': 'Le mot de passe doit comporter au moins {min} caractères.',
  'errors.field_invalid': 'Vérifiez le champ « {field} ».',
};
