// The calls of the Services page (views/providers/), with their wire types
// (docs/openapi.json: Provider, ProviderList, ...). Loaded with that page only.

import { request } from './client';

export const PROVIDER_KINDS = ['health_facility', 'psychosocial', 'legal_aid', 'shelter', 'un_agency', 'other'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
/** The services a provider offers: the same vocabulary as a victim's needs. */
export const PROVIDER_SERVICES = [
  'safety_protection',
  'medical',
  'psychosocial',
  'legal',
  'education',
  'livelihood',
  'basic_material',
  'child_support',
] as const;
export type ProviderService = (typeof PROVIDER_SERVICES)[number];
export const PROVIDER_COSTS = ['free', 'subsidised', 'paid'] as const;
export type ProviderCost = (typeof PROVIDER_COSTS)[number];

export interface Provider {
  id: number;
  name: string;
  kind: ProviderKind;
  services: ProviderService[];
  prefecture: string;
  town: string;
  lat: number | null;
  lon: number | null;
  hours: string;
  languages: string[];
  capacity: string;
  cost: ProviderCost;
  cost_note: string;
  public_phone: string;
  active: boolean;
  /** YYYY-MM-DD */
  last_verified: string;
  stale: boolean;
  has_contacts: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface ProviderContacts {
  person?: string;
  phone?: string;
  email?: string;
}

export interface ProviderList {
  providers: Provider[];
  prefectures: { code: string; name: string }[];
  stale_days: number;
}

export interface ProviderFilter {
  service?: string;
  prefecture?: string;
  kind?: string;
  stale?: 'true' | 'false' | '';
  q?: string;
}

/** What a create sends, and what a change may send (each field present replaces the stored one). */
export interface ProviderInput {
  name?: string;
  kind?: ProviderKind;
  services?: ProviderService[];
  prefecture?: string;
  town?: string;
  lat?: number | null;
  lon?: number | null;
  hours?: string;
  languages?: string[];
  capacity?: string;
  cost?: ProviderCost;
  cost_note?: string;
  public_phone?: string;
  active?: boolean;
  last_verified?: string;
  contacts?: ProviderContacts | null;
}

export interface ProviderMember {
  user_id: number;
  username: string;
  display_name: string;
  added_by: string;
  added_at: string;
}

export interface ProviderMembers {
  members: ProviderMember[];
  /** Active provider case managers linked to no provider. */
  eligible: { user_id: number; username: string; display_name: string }[];
}

export const providersApi = {
  list: (filter: ProviderFilter = {}) => request<ProviderList>('GET', '/providers', { query: { ...filter } }),
  get: (id: number) => request<{ provider: Provider }>('GET', `/providers/${id}`),
  create: (input: ProviderInput) => request<{ provider: Provider }>('POST', '/providers', { body: input }),
  update: (id: number, version: number, input: ProviderInput) =>
    request<{ provider: Provider }>('PATCH', `/providers/${id}`, { body: { ...input, version } }),
  verify: (id: number) => request<{ provider: Provider }>('POST', `/providers/${id}/verify`),
  deactivate: (id: number) => request<{ provider: Provider }>('POST', `/providers/${id}/deactivate`),
  members: (id: number) => request<ProviderMembers>('GET', `/providers/${id}/members`),
  addMember: (id: number, userId: number) => request<void>('POST', `/providers/${id}/members`, { body: { user_id: userId } }),
  removeMember: (id: number, userId: number) => request<void>('DELETE', `/providers/${id}/members/${userId}`),
  contacts: (id: number) => request<{ contacts: Required<ProviderContacts> }>('GET', `/providers/${id}/contacts`),
};
