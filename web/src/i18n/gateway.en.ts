// English texts of the SMS gateway settings dialog, loaded with it (see gateway.ts).
// gateway.fr.ts must have exactly the same keys.

export const gatewayEn = {
  'gateway.intro.twilio':
    'Twilio signs every message with the account’s auth token and the exact address it calls. Until both are saved, psea refuses every message from Twilio.',
  'gateway.intro.smssync': 'The secret key typed in the SMSSync app. Once it is saved, a message without it is refused.',
  'gateway.intro.android':
    'The app’s signing key (each message is then checked), and the app’s API, through which psea sends the reporter the receipt code.',
  'gateway.intro.africastalking':
    'Africa’s Talking takes replies only through its API: psea sends the receipt code there with your app’s username and API key.',

  'gateway.twilio.twilio_auth_token': 'Twilio auth token',
  'gateway.twilio.public_url': 'Public URL, as set in Twilio',
  'gateway.twilio.public_url.hint': 'Exactly the address of “A message comes in”: the signature covers it. It holds the token, so it is masked.',
  'gateway.smssync.signing_key': 'Secret key, as set in SMSSync',
  'gateway.android.signing_key': 'Signing key of the webhook',
  'gateway.android.outgoing_url': 'API address for replies',
  'gateway.android.outgoing_url.hint': 'https://api.sms-gate.app/3rdparty/v1/message, or the phone’s local server http://<phone>:8080/message.',
  'gateway.android.outgoing_username': 'API username',
  'gateway.android.outgoing_secret': 'API password',
  'gateway.africastalking.outgoing_url': 'API address for replies',
  'gateway.africastalking.outgoing_url.hint':
    'https://api.africastalking.com/version1/messaging (sandbox: https://api.sandbox.africastalking.com/version1/messaging).',
  'gateway.africastalking.outgoing_username': 'Username of the Africa’s Talking app',
  'gateway.africastalking.outgoing_username.hint': 'sandbox for the sandbox.',
  'gateway.africastalking.outgoing_secret': 'API key',
  'gateway.africastalking.sender': 'Sender (short code)',
  'gateway.africastalking.sender.hint': 'Optional: the short code or sender ID the replies come from.',

  'gateway.setupTitle': 'Set up the gateway',
  'gateway.setupSecret': 'These lines hold the secret: keep them as safe as the secret itself.',
  'gateway.setup.url': 'Address (URL)',
  'gateway.setup.header': 'Header',
  'gateway.setup.kannel': 'get-url line of the sms-service group in kannel.conf',
  'gateway.setup.generic':
    'POST the messages to this address with this header, and sign each body (X-Psea-Signature) with the key that psea intake sms-key prints.',
  'gateway.setup.kannel.hint': 'The token is the password in the address. The rest of the group is in the operations guide.',
  'gateway.setup.rapidpro': 'In the flow, a “Call webhook” action: POST to this address with this header, then send @webhook.reply back.',
  'gateway.setup.africastalking':
    'The SMS callback URL in the Africa’s Talking dashboard. Then save the API settings, so that reporters get their receipt code.',
  'gateway.setup.twilio':
    'The “A message comes in” webhook (HTTP POST) of the phone number. Then save the auth token and this same address in the gateway settings: until then Twilio’s messages are refused.',
  'gateway.setup.smssync': 'The Sync URL in SMSSync. Then save the app’s secret key in the gateway settings.',
  'gateway.setup.android': 'The webhook of the sms:received event. Then save the signing key and the app’s API in the gateway settings.',

  'gateway.current': 'Saved: {mask}.',
  'gateway.setShort': 'Saved.',
  'gateway.notSet': 'Not set.',
  'gateway.keepHint': 'Type a new value to replace it; leave empty to keep it.',
  'gateway.plainHint': 'Empty it to clear it.',
  'gateway.clear': 'Clear the saved {field}',
  'gateway.save': 'Save settings',
  'gateway.saved': 'Settings saved.',
  'gateway.nothing': 'Nothing was changed.',
  'gateway.urlInvalid': 'Enter an address that starts with https:// or http://.',
  'gateway.twilioIncomplete': 'Messages from Twilio are refused until the auth token and the public URL are both saved.',
} satisfies Record<string, string>;

export type GatewayMessageKey = keyof typeof gatewayEn;
