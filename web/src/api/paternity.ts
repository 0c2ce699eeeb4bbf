// The calls of the assistance file's paternity panel (views/assistance/PaternityPanel.svelte),
// with their wire types (docs/openapi.json: PaternityClaim, ...).

import { request } from './client';

export const RESULTS = ['pending', 'established_by_dna', 'established_by_admission', 'not_established'] as const;
export const SUPPORT_KINDS = [
  'court_order', 'voluntary_agreement', 'member_state_arrangement', 'interim_assistance', 'other',
] as const;
export const FREQUENCIES = ['one_off', 'monthly', 'quarterly', 'yearly'] as const;
export const PAYERS = ['subject', 'member_state', 'un_trust_fund', 'other'] as const;
export const PAYMENT_STATES = ['received', 'missed'] as const;

export type PaternityResult = (typeof RESULTS)[number];

export interface PaternityCustodyEntry {
  seq: number;
  from_holder: string;
  to_holder: string;
  at: string;
  place: string;
  seal_intact: boolean;
  note: string;
  recorded_by: string;
  recorded_at: string;
  hash: string;
}

export interface PaternityPayment {
  id: number;
  on: string;
  amount: number;
  state: (typeof PAYMENT_STATES)[number];
  note: string;
  recorded_by: string;
  recorded_at: string;
}

export interface PaternitySupport {
  id: number;
  kind: (typeof SUPPORT_KINDS)[number];
  amount: number;
  currency: string;
  frequency: (typeof FREQUENCIES)[number];
  payer: (typeof PAYERS)[number];
  starts_on: string;
  note: string;
  recorded_by: string;
  recorded_at: string;
  received_total: number;
  missed_total: number;
  payments: PaternityPayment[];
}

export interface PaternitySample {
  collected_by: string;
  collected_at: string;
  place: string;
  holder: string;
  custody_intact: boolean;
  seals_intact: boolean;
  custody_problems: string[];
}

export interface PaternityClaim {
  id: number;
  file_id: number;
  case_id: number | null;
  case_reference: string;
  subject_id: number | null;
  claim_date: string;
  status: 'open' | 'closed';
  closed_at: string | null;
  ms_notified_at: string | null;
  ms_reference: string;
  sample: PaternitySample | null;
  custody: PaternityCustodyEntry[];
  lab: string;
  tested_at: string | null;
  result: PaternityResult;
  result_at: string | null;
  support: PaternitySupport[];
  created_by: string;
  created_at: string;
  updated_at: string;
  version: number;
  can_work: boolean;
  has_sealed: boolean;
  can_reveal: boolean;
}

export interface PaternitySealed {
  child_name: string;
  child_date_of_birth: string;
  wishes: string;
}

export interface NewPaternityClaim {
  file_id: number;
  case_id?: number;
  subject_id?: number;
  claim_date?: string;
  sealed?: PaternitySealed;
}

export interface PaternityClaimPatch {
  ms_notified_at?: string;
  ms_reference?: string;
  lab?: string;
  tested_at?: string;
  result?: PaternityResult;
  result_at?: string;
  status?: 'open' | 'closed';
}

export interface OpenByAge {
  at: string;
  total: number;
  bands: { band: string; count: number }[];
}

type One = { claim: PaternityClaim };

export const paternityApi = {
  list: (fileId: number) => request<{ claims: PaternityClaim[] }>('GET', '/paternity/claims', { query: { file_id: fileId } }),
  create: (body: NewPaternityClaim) => request<One>('POST', '/paternity/claims', { body }),
  update: (id: number, version: number, patch: PaternityClaimPatch) =>
    request<One>('PATCH', `/paternity/claims/${id}`, { body: { version, ...patch } }),
  reveal: (id: number) => request<PaternitySealed>('POST', `/paternity/claims/${id}/sealed/reveal`, { body: {} }),
  collect: (id: number, body: { collected_by: string; collected_at: string; place: string; seal_intact: boolean; note?: string }) =>
    request<One>('POST', `/paternity/claims/${id}/sample`, { body }),
  handOver: (id: number, body: { from_holder: string; to_holder: string; at: string; place?: string; seal_intact: boolean; note?: string }) =>
    request<One>('POST', `/paternity/claims/${id}/sample/custody`, { body }),
  addSupport: (
    id: number,
    body: { kind: string; amount: number; currency: string; frequency: string; payer: string; starts_on: string; note?: string },
  ) => request<One>('POST', `/paternity/claims/${id}/support`, { body }),
  addPayment: (id: number, supportId: number, body: { on: string; amount: number; state: string; note?: string }) =>
    request<One>('POST', `/paternity/claims/${id}/support/${supportId}/payments`, { body }),
  openByAge: () => request<OpenByAge>('GET', '/paternity/figures/open-by-age'),
};
