// What each SMS gateway kind needs (docs/operations.md, "SMS gateways"): the settings psea
// reads for it, and the line to paste into the gateway, which can only be written while the
// token's secret is known, right after its creation.

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

export type GatewayConfigLine = { label: 'url' | 'header' | 'kannel'; text: string };

/** The ready-to-paste lines for a new token of this kind, for a server seen at `location`. */
export function gatewayConfigLines(
  kind: SmsGateway,
  secret: string,
  location: { origin: string; protocol: string; host: string },
): GatewayConfigLine[] {
  switch (kind) {
    case 'kannel':
      return [
        {
          label: 'kannel',
          text:
            `get-url = "${location.protocol}//kannel:${encodeURIComponent(secret)}@${location.host}` +
            '/api/v1/intake/sms?from=%p&to=%P&text=%a&id=%I&ts=%T&time=%t"',
        },
      ];
    case 'generic':
    case 'rapidpro':
      return [
        { label: 'url', text: `${location.origin}/api/v1/intake/sms` },
        { label: 'header', text: `Authorization: Bearer ${secret}` },
      ];
    case 'africastalking':
    case 'smssync':
    case 'twilio':
    case 'android':
      return [{ label: 'url', text: tokenPathUrl(location.origin, secret) }];
  }
}
