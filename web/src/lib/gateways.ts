// What each SMS gateway kind needs (docs/operations.md, "SMS gateways"): the settings psea
// reads for it. The lines to paste into the gateway are in gateway-setup.ts, loaded with them.

import type { SmsGateway, SmsGatewaySettingName } from '../api/types';

/** The settings each kind reads (server: intake CheckGatewayProof, the smssync secret, the outbox). */
export const GATEWAY_SETTING_FIELDS: Record<SmsGateway, readonly SmsGatewaySettingName[]> = {
  generic: [],
  kannel: [],
  rapidpro: [],
  twilio: ['twilio_auth_token', 'public_url'],
  smssync: ['signing_key'],
  android: ['signing_key', 'outgoing_url', 'outgoing_username', 'outgoing_secret'],
  africastalking: ['outgoing_url', 'outgoing_username', 'outgoing_secret', 'sender'],
};

export function hasGatewaySettings(kind: SmsGateway | null): kind is SmsGateway {
  return kind !== null && GATEWAY_SETTING_FIELDS[kind].length > 0;
}

/** The address a gateway that sets no header calls, with the token in the path. */
export function tokenPathUrl(origin: string, secret: string): string {
  return `${origin}/api/v1/intake/sms/in/${encodeURIComponent(secret)}`;
}
