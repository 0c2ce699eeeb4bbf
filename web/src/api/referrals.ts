// The calls of referrals, the service tracking table and the provider portal, with their wire
// types (docs/openapi.json: Referral, TrackingRow, NewReferralRequest, UpdateReferralRequest).

import { request, type QueryValue } from './client';
import type { NeedType } from './assistance';

export const REFERRAL_STATUSES = [
  'referred', 'accepted', 'in_progress', 'completed', 'declined_by_victim', 'refused_by_provider', 'lost_to_follow_up',
] as const;
/** What a provider's case manager records (the others are the VRA's). */
export const PROVIDER_STATUSES = ['accepted', 'in_progress', 'completed', 'refused_by_provider'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** The moves the server allows (modules/assistance/referrals_model.cc CanMove). */
export const NEXT_STATUSES: Record<ReferralStatus, readonly ReferralStatus[]> = {
  referred: ['accepted', 'in_progress', 'declined_by_victim', 'refused_by_provider', 'lost_to_follow_up'],
  accepted: ['in_progress', 'completed', 'declined_by_victim', 'refused_by_provider', 'lost_to_follow_up'],
  in_progress: ['completed', 'declined_by_victim', 'lost_to_follow_up'],
  completed: [],
  declined_by_victim: [],
  refused_by_provider: [],
  lost_to_follow_up: ['accepted', 'in_progress'],
};

export interface Referral {
  id: number;
  file_id: number;
  file_reference: string;
  need_id: number;
  need_type: NeedType;
  urgency: string;
  service: NeedType;
  provider_id: number;
  provider_name: string;
  status: ReferralStatus;
  referred_at: string;
  referred_by: string;
  consent_id: number | null;
  emergency: boolean;
  justification: string;
  service_started_at: string | null;
  closed_at: string | null;
  outcome: string;
  notes: string;
  last_follow_up_at: string | null;
  next_follow_up_at: string | null;
  current: boolean;
  overdue: boolean;
  can_update: boolean;
  information_shared: boolean;
  contact_allowed: boolean;
  contact_channel: string;
  updated_at: string;
  updated_by: string;
  version: number;
}

export interface NewReferral {
  need_id: number;
  provider_id: number;
  service?: NeedType;
  referred_at?: string;
  emergency?: boolean;
  justification?: string;
  next_follow_up_at?: string;
  notes?: string;
}

export interface ReferralPatch {
  status?: ReferralStatus;
  service_started_at?: string;
  outcome?: string;
  notes?: string;
  last_follow_up_at?: string;
  next_follow_up_at?: string;
}

export interface TrackingRow {
  file_id: number;
  file_reference: string;
  prefecture: string;
  need_id: number;
  need_type: NeedType;
  urgency: string;
  need_status: string;
  referral_id: number | null;
  service: string;
  provider_id: number | null;
  provider_name: string;
  status: ReferralStatus | 'not_referred';
  referred_at: string | null;
  service_started_at: string | null;
  last_follow_up_at: string | null;
  next_follow_up_at: string | null;
  emergency: boolean;
  overdue: boolean;
}

export interface TrackingFilter {
  status?: string;
  service?: string;
  provider_id?: number;
  prefecture?: string;
  overdue?: 'true' | 'false';
  referred_from?: string;
  referred_to?: string;
  limit?: number;
  offset?: number;
}

function query(filter: TrackingFilter): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') out[name] = value as QueryValue;
  }
  return out;
}

export const referralsApi = {
  ofFile: (fileId: number) => request<{ referrals: Referral[] }>('GET', `/assistance/files/${fileId}/referrals`),
  refer: (fileId: number, body: NewReferral) =>
    request<{ referral: Referral }>('POST', `/assistance/files/${fileId}/referrals`, { body }),
  get: (id: number) => request<{ referral: Referral }>('GET', `/assistance/referrals/${id}`),
  shareIdentity: (id: number, userId: number) =>
    request<{ referral: Referral }>('POST', `/assistance/referrals/${id}/share-identity`, { body: { user_id: userId } }),
  update: (id: number, version: number, body: ReferralPatch) =>
    request<{ referral: Referral }>('PATCH', `/assistance/referrals/${id}`, { body: { ...body, version } }),
  tracking: (filter: TrackingFilter) =>
    request<{ rows: TrackingRow[]; total: number; limit: number; offset: number }>('GET', '/assistance/tracking', {
      query: query(filter),
    }),
  /** The export's path below the API (for downloadBlob). */
  exportPath: (filter: TrackingFilter, format: 'csv' | 'xlsx'): string => {
    const { limit: _limit, offset: _offset, ...rest } = filter;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query(rest))) params.set(name, String(value));
    params.set('format', format);
    return `/assistance/tracking/export?${params.toString()}`;
  },
  portal: (filter: TrackingFilter) =>
    request<{ referrals: Referral[]; total: number; limit: number; offset: number }>('GET', '/assistance/provider-portal', {
      query: query(filter),
    }),
};
