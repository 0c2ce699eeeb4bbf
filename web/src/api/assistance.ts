// The calls of the Victims' Rights Advocate's workspace (views/assistance/), with their wire
// types (docs/openapi.json: AssistanceFile, AssistanceConsent, AssistanceNeed, ...).

import { request } from './client';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const AGE_GROUPS = ['adult', 'minor', 'unknown'] as const;
export const NEED_TYPES = [
  'safety_protection', 'medical', 'psychosocial', 'legal', 'education', 'livelihood', 'basic_material', 'child_support',
] as const;
export const URGENCIES = ['immediate', 'high', 'medium', 'low'] as const;
export const CONSENT_SCOPES = ['assistance', 'referral', 'information_sharing', 'contact'] as const;
export const CONSENT_MEANS = ['oral', 'written', 'thumbprint', 'electronic'] as const;
export const CONTACT_CHANNELS = ['phone', 'sms', 'in_person', 'through_focal_point', 'email'] as const;

export type Sex = (typeof SEXES)[number];
export type AgeGroup = (typeof AGE_GROUPS)[number];
export type NeedType = (typeof NEED_TYPES)[number];
export type Urgency = (typeof URGENCIES)[number];
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export type ConsentMeans = (typeof CONSENT_MEANS)[number];

export interface AssistanceFileClear {
  id: number;
  reference: string;
  pseudonym: string;
  sex: Sex;
  age_group: AgeGroup;
  age: number | null;
  prefecture: string;
  status: 'open' | 'closed';
  opened_at: string;
  closed_at: string | null;
  created_by: string;
  updated_at: string;
  version: number;
}

export interface AssistanceFileSummary extends AssistanceFileClear {
  open_needs: number;
  urgent_needs: number;
  cases: number;
}

export interface AssistanceConsent {
  id: number;
  file_id: number;
  scope: ConsentScope;
  provider_id: number | null;
  with_whom: string;
  channel: string;
  given_at: string;
  means: ConsentMeans;
  given_by: 'victim' | 'guardian';
  guardian: string;
  expires_at: string | null;
  notes: string;
  recorded_by: string;
  recorded_at: string;
  withdrawn_at: string | null;
  withdrawn_by: string;
  withdrawal_note: string;
}

export interface PepWindow {
  state: 'unknown' | 'inside_window' | 'missed' | 'met_in_time';
  deadline: string | null;
  urgent: boolean;
}

export interface AssistanceNeed {
  id: number;
  file_id: number;
  type: NeedType;
  urgency: Urgency;
  notes: string;
  status: 'open' | 'met' | 'closed';
  after_rape: boolean;
  incident_at: string | null;
  assessed_at: string;
  assessed_by: string;
  closed_at: string | null;
  closed_by: string;
  pep: PepWindow | null;
}

export interface AssistanceFile extends AssistanceFileClear {
  cases: { case_id: number; reference: string; linked_by: string; linked_at: string }[];
  designees: { user_id: number; username: string; added_by: string; added_at: string }[];
  consents: AssistanceConsent[];
  needs: AssistanceNeed[];
  can_work: boolean;
  has_identity: boolean;
  can_reveal: boolean;
}

export interface AssistanceIdentity {
  name?: string;
  contacts?: string;
  address?: string;
  guardian_name?: string;
  guardian_contact?: string;
}

export interface NewAssistanceFile {
  pseudonym?: string;
  sex?: Sex;
  age_group?: AgeGroup;
  age?: number;
  prefecture?: string;
  case_ids?: number[];
  identity?: AssistanceIdentity;
}

export interface NewConsent {
  scope: ConsentScope;
  means: ConsentMeans;
  provider_id?: number;
  with_whom?: string;
  channel?: string;
  given_at?: string;
  given_by?: 'victim' | 'guardian';
  guardian?: string;
  expires_at?: string;
  notes?: string;
}

export interface NewNeed {
  type: NeedType;
  urgency?: Urgency;
  notes?: string;
  after_rape?: boolean;
  incident_at?: string;
}

export interface FileFilter {
  status?: string;
  prefecture?: string;
  age_group?: string;
  need?: string;
  limit?: number;
  offset?: number;
}

export interface Designable {
  id: number;
  username: string;
  display_name: string;
  role: string;
}

type FileAnswer = { file: AssistanceFile };
const base = '/assistance/files';

export const assistanceApi = {
  list: (filter: FileFilter) =>
    request<{ files: AssistanceFileSummary[]; total: number; limit: number; offset: number }>('GET', base, {
      query: { ...filter },
    }),
  get: (id: number) => request<FileAnswer>('GET', `${base}/${id}`),
  create: (body: NewAssistanceFile) => request<FileAnswer>('POST', base, { body }),
  update: (id: number, version: number, body: Partial<AssistanceFileClear>) =>
    request<FileAnswer>('PATCH', `${base}/${id}`, { body: { ...body, version } }),
  setIdentity: (id: number, body: AssistanceIdentity) => request<FileAnswer>('PUT', `${base}/${id}/identity`, { body }),
  reveal: (id: number) => request<Required<AssistanceIdentity>>('POST', `${base}/${id}/identity/reveal`, { body: {} }),
  addConsent: (id: number, body: NewConsent) =>
    request<{ consent: AssistanceConsent }>('POST', `${base}/${id}/consents`, { body }),
  withdrawConsent: (id: number, consentId: number, note: string) =>
    request<{ consent: AssistanceConsent }>('POST', `${base}/${id}/consents/${consentId}/withdraw`, {
      body: note ? { note } : {},
    }),
  addNeed: (id: number, body: NewNeed) => request<{ need: AssistanceNeed }>('POST', `${base}/${id}/needs`, { body }),
  updateNeed: (id: number, needId: number, body: { status?: 'met' | 'closed'; urgency?: Urgency; notes?: string }) =>
    request<{ need: AssistanceNeed }>('PATCH', `${base}/${id}/needs/${needId}`, { body }),
  linkCase: (id: number, caseId: number) => request<FileAnswer>('POST', `${base}/${id}/cases`, { body: { case_id: caseId } }),
  unlinkCase: (id: number, caseId: number) => request<FileAnswer>('DELETE', `${base}/${id}/cases/${caseId}`),
  designable: () => request<{ users: Designable[] }>('GET', '/assistance/designable'),
  prefectures: () =>
    request<{ prefectures: { code: string; name: string }[] }>('GET', '/assistance/vocabulary').then((v) => v.prefectures),
  designate: (id: number, userId: number) => request<FileAnswer>('POST', `${base}/${id}/designees`, { body: { user_id: userId } }),
  undesignate: (id: number, userId: number) => request<FileAnswer>('DELETE', `${base}/${id}/designees/${userId}`),
};
