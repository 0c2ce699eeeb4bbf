// The lines to paste into an SMS gateway for a new token (docs/operations.md, "SMS gateways"),
// which can only be written while the token's secret is known, right after its creation.
// Loaded with components/GatewaySetup.svelte, not with the first page.

import type { SmsGateway } from '../api/types';
import { tokenPathUrl } from './gateways';

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
