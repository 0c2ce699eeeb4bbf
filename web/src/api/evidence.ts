// The calls of the case page's evidence and IRT panels (views/cases/EvidencePanel.svelte,
// IrtPanel.svelte), with their wire types (docs/openapi.json: EvidenceItem, IrtDeployment, ...).

import { downloadBlob, request, uploadFile } from './client';

export type EvidenceStatus = 'held' | 'transferred' | 'returned' | 'destroyed';
export const EVIDENCE_STATUSES: readonly EvidenceStatus[] = ['held', 'transferred', 'returned', 'destroyed'];

export interface CustodyEntry {
  seq: number;
  from: string;
  to: string;
  at: string;
  purpose: string;
  status: EvidenceStatus;
  storage_location: string;
  recorded_by: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

export interface EvidenceAttachment {
  id: number;
  item_id: number;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  added_by: string;
  added_at: string;
}

export interface EvidenceItem {
  id: number;
  case_id: number;
  label: string;
  description: string;
  collected_by: string;
  collected_at: string;
  place_collected: string;
  storage_location: string;
  status: EvidenceStatus;
  created_by: string;
  created_at: string;
  custody: CustodyEntry[];
  attachments: EvidenceAttachment[];
}

export interface NewEvidenceItem {
  label: string;
  description?: string;
  collected_by: string;
  collected_at: string;
  place_collected?: string;
  storage_location: string;
}

export interface CustodyTransfer {
  from?: string;
  to: string;
  at: string;
  purpose: string;
  status?: EvidenceStatus;
  storage_location?: string;
}

export type AttachmentState = 'intact' | 'missing' | 'undecryptable' | 'mismatch';

export interface ItemIntegrity {
  item_id: number;
  label: string;
  intact: boolean;
  custody_intact: boolean;
  custody_problems: string[];
  attachments: { id: number; filename: string; sha256: string; state: AttachmentState }[];
}

export interface EvidenceIntegrity {
  intact: boolean;
  items: ItemIntegrity[];
}

export interface IrtDeployment {
  id: number;
  case_id: number;
  alerted_at: string;
  deployed_at: string | null;
  hours_to_deploy: number | null;
  team: string;
  place: string;
  actions: string;
  created_by: string;
  created_at: string;
}

export interface NewIrtDeployment {
  alerted_at: string;
  deployed_at?: string;
  team: string;
  place: string;
  actions?: string;
}

const casePath = (caseId: number, rest: string) => `/cases/${encodeURIComponent(caseId)}/${rest}`;
const itemPath = (caseId: number, itemId: number, rest = '') =>
  casePath(caseId, `evidence/${encodeURIComponent(itemId)}${rest ? '/' + rest : ''}`);

export const evidenceApi = {
  items: (caseId: number) => request<{ items: EvidenceItem[] }>('GET', casePath(caseId, 'evidence')),
  item: (caseId: number, itemId: number) => request<{ item: EvidenceItem }>('GET', itemPath(caseId, itemId)),
  addItem: (caseId: number, item: NewEvidenceItem) =>
    request<{ item: EvidenceItem }>('POST', casePath(caseId, 'evidence'), { body: item }),
  transfer: (caseId: number, itemId: number, transfer: CustodyTransfer) =>
    request<{ item: EvidenceItem }>('POST', itemPath(caseId, itemId, 'custody'), { body: transfer }),
  upload: (caseId: number, itemId: number, file: File) =>
    uploadFile<{ attachment: EvidenceAttachment }>(itemPath(caseId, itemId, 'attachments'), file),
  download: (caseId: number, itemId: number, attachmentId: number) =>
    downloadBlob(itemPath(caseId, itemId, `attachments/${encodeURIComponent(attachmentId)}`)),
  integrity: (caseId: number, itemId?: number) =>
    request<EvidenceIntegrity>('GET', casePath(caseId, 'evidence/integrity'), { query: { item: itemId } }),
  /** The printable chain of custody, opened in a new tab (GET: no CSRF token needed). */
  printUrl: (caseId: number, itemId: number, lang: 'en' | 'fr') => `/api/v1${itemPath(caseId, itemId, 'print')}?lang=${lang}`,

  deployments: (caseId: number) => request<{ deployments: IrtDeployment[] }>('GET', casePath(caseId, 'irt')),
  addDeployment: (caseId: number, deployment: NewIrtDeployment) =>
    request<{ deployment: IrtDeployment }>('POST', casePath(caseId, 'irt'), { body: deployment }),
};

/** "2026-01-10T09:30" from a datetime-local input (the browser's local time) to UTC ISO 8601 seconds. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
