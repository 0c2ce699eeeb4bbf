// The gap table and the VRA's overdue victim contacts (docs/openapi.json: GapTable,
// OverdueContacts). Loaded with the Services page and the VRA's home page only.

import { request } from './client';

export type GapState = 'gap' | 'stale_only' | 'covered' | 'no_need';

export interface GapRow {
  prefecture: string;
  /** "" for a prefecture the places list does not have (or a file that records none). */
  prefecture_name: string;
  known_prefecture: boolean;
  service: string;
  /** Active providers offering the service there; `stale` of them not verified lately. */
  providers: number;
  stale: number;
  fresh: number;
  /** Distinct open files with an open need of that type; null when suppressed (1 to 4). */
  needing: number | null;
  /** Distinct files with a need of that type met; null when suppressed. */
  assisted: number | null;
  state: GapState;
}

export interface GapTable {
  rows: GapRow[];
  summary: { gaps: number; stale_only: number; covered: number; no_need: number };
  filter: { service: string | null; prefecture: string | null };
  prefectures: { code: string; name: string }[];
  services: string[];
  stale_days: number;
  /** Counts of 1 to 4 victims are null for this reader. */
  suppressed: boolean;
}

export interface OverdueContact {
  case_id: string;
  reference: string;
  rule: string;
  state: string;
  due_at: string;
  days_left: number;
}

export const gapsApi = {
  table: (filter: { service?: string; prefecture?: string } = {}) =>
    request<GapTable>('GET', '/assistance/gaps', { query: { ...filter } }),
  overdueContacts: () => request<{ items: OverdueContact[]; total: number }>('GET', '/assistance/overdue-contacts'),
};
