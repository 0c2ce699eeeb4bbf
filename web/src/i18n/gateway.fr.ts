// Textes français de la fenêtre des réglages de passerelle SMS, chargés avec elle (voir gateway.ts).
// Les clés sont celles de gateway.en.ts, ni plus ni moins : le type Record<GatewayMessageKey, string> l'impose.
// Typographie : espace insécable (U+00A0) avant « : ; ? ! » et à l'intérieur des guillemets.

import type { GatewayMessageKey } from './gateway.en';

export const gatewayFr: Record<GatewayMessageKey, string> = {
  'gateway.intro.twilio':
    'Twilio signe chaque message avec le jeton d’authentification du compte et l’adresse exacte qu’il appelle. Tant que les deux ne sont pas enregistrés, psea refuse tous les messages de Twilio.',
  'gateway.intro.smssync': 'La clé secrète saisie dans l’application SMSSync. Une fois enregistrée, un message sans elle est refusé.',
  'gateway.intro.android':
    'La clé de signature de l’application (chaque message est alors vérifié), et l’API de l’application, par laquelle psea envoie le code de suivi à la personne qui signale.',
  'gateway.intro.africastalking':
    'Africa’s Talking n’accepte les réponses que par son API : psea y envoie le code de suivi avec le nom d’utilisateur et la clé d’API de votre application.',

  'gateway.twilio.twilio_auth_token': 'Jeton d’authentification Twilio (auth token)',
  'gateway.twilio.public_url': 'URL publique, telle que saisie dans Twilio',
  'gateway.twilio.public_url.hint': 'Exactement l’adresse de « A message comes in » : la signature la couvre. Elle contient le jeton, elle est donc masquée.',
  'gateway.smssync.signing_key': 'Clé secrète, telle que saisie dans SMSSync',
  'gateway.android.signing_key': 'Clé de signature du webhook',
  'gateway.android.outgoing_url': 'Adresse de l’API pour les réponses',
  'gateway.android.outgoing_url.hint': 'https://api.sms-gate.app/3rdparty/v1/message, ou le serveur local du téléphone http://<téléphone>:8080/message.',
  'gateway.android.outgoing_username': 'Nom d’utilisateur de l’API',
  'gateway.android.outgoing_secret': 'Mot de passe de l’API',
  'gateway.africastalking.outgoing_url': 'Adresse de l’API pour les réponses',
  'gateway.africastalking.outgoing_url.hint':
    'https://api.africastalking.com/version1/messaging (bac à sable : https://api.sandbox.africastalking.com/version1/messaging).',
  'gateway.africastalking.outgoing_username': 'Nom d’utilisateur de l’application Africa’s Talking',
  'gateway.africastalking.outgoing_username.hint': 'sandbox pour le bac à sable.',
  'gateway.africastalking.outgoing_secret': 'Clé d’API',
  'gateway.africastalking.sender': 'Expéditeur (numéro court)',
  'gateway.africastalking.sender.hint': 'Facultatif : le numéro court ou l’identifiant d’expéditeur des réponses.',

  'gateway.setupTitle': 'Configurer la passerelle',
  'gateway.setupSecret': 'Ces lignes contiennent le secret : gardez-les aussi précieusement que lui.',
  'gateway.setup.url': 'Adresse (URL)',
  'gateway.setup.header': 'En-tête',
  'gateway.setup.kannel': 'Ligne get-url du groupe sms-service de kannel.conf',
  'gateway.setup.generic':
    'Envoyez les messages (POST) à cette adresse avec cet en-tête, et signez chaque corps (X-Psea-Signature) avec la clé qu’affiche psea intake sms-key.',
  'gateway.setup.kannel.hint': 'Le jeton est le mot de passe dans l’adresse. Le reste du groupe est dans le guide d’exploitation.',
  'gateway.setup.rapidpro': 'Dans le flux, une action « Call webhook » : POST à cette adresse avec cet en-tête, puis renvoyez @webhook.reply.',
  'gateway.setup.africastalking':
    'L’URL de rappel SMS dans le tableau de bord d’Africa’s Talking. Enregistrez ensuite les réglages de l’API, pour que les personnes reçoivent leur code de suivi.',
  'gateway.setup.twilio':
    'Le webhook « A message comes in » (HTTP POST) du numéro. Enregistrez ensuite le jeton d’authentification et cette même adresse dans les réglages de la passerelle : d’ici là, les messages de Twilio sont refusés.',
  'gateway.setup.smssync': 'La Sync URL dans SMSSync. Enregistrez ensuite la clé secrète de l’application dans les réglages de la passerelle.',
  'gateway.setup.android': 'Le webhook de l’événement sms:received. Enregistrez ensuite la clé de signature et l’API de l’application dans les réglages de la passerelle.',

  'gateway.current': 'Enregistré : {mask}.',
  'gateway.setShort': 'Enregistré.',
  'gateway.notSet': 'Non défini.',
  'gateway.keepHint': 'Saisissez une nouvelle valeur pour la remplacer ; laissez vide pour la garder.',
  'gateway.plainHint': 'Videz-le pour l’effacer.',
  'gateway.clear': 'Effacer la valeur enregistrée : {field}',
  'gateway.save': 'Enregistrer les réglages',
  'gateway.saved': 'Réglages enregistrés.',
  'gateway.nothing': 'Rien n’a été modifié.',
  'gateway.urlInvalid': 'Saisissez une adresse qui commence par https:// ou http://.',
  'gateway.twilioIncomplete': 'Les messages de Twilio sont refusés tant que le jeton d’authentification et l’URL publique ne sont pas tous deux enregistrés.',
};
