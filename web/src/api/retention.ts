// The calls of the Retention page (loaded with it) and of the complaint page's hold button.

import { request } from './client';
import type { RetentionHold, RetentionKind, RetentionPolicy, RetentionReport } from './types';

export const retentionApi = {
  policies: () => request<{ policies: RetentionPolicy[] }>('GET', '/retention/policies'),
  setPolicy: (kind: RetentionKind, enabled: boolean, after_days: number) =>
    request<{ policy: RetentionPolicy }>('PUT', `/retention/policies/${encodeURIComponent(kind)}`, {
      body: { enabled, after_days },
    }),
  preview: () => request<RetentionReport>('GET', '/retention/preview'),
  holds: () => request<{ holds: RetentionHold[] }>('GET', '/retention/holds'),
  placeHold: (complaintId: number, reason: string) =>
    request<{ hold: RetentionHold }>('POST', '/retention/holds', {
      body: { object_type: 'complaint', object_id: complaintId, reason },
    }),
  liftHold: (id: number, reason: string) =>
    request<{ hold: RetentionHold }>('POST', `/retention/holds/${encodeURIComponent(id)}/lift`, { body: { reason } }),
};
