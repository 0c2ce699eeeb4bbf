// The SMS gateway settings calls, loaded with the settings dialog rather than with the first page.

import { request } from './client';
import type { SmsGatewaySettings, SmsGatewaySettingsPatch } from './types';

const settingsPath = (tokenId: number) => `/intake/sms/gateways/${encodeURIComponent(tokenId)}`;

export const gatewaysApi = {
  /** Administrator or CDT chief; the secrets come back masked. */
  settings: (tokenId: number) => request<SmsGatewaySettings>('GET', settingsPath(tokenId)),
  /** 400 `validation_failed` names the field (a URL that is not http(s)://, a value too long). */
  save: (tokenId: number, patch: SmsGatewaySettingsPatch) =>
    request<SmsGatewaySettings>('PUT', settingsPath(tokenId), { body: patch }),
};
