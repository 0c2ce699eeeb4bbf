// The calls of the complaint intake views. They live apart from client.ts so that they are
// loaded with those views, not with the first page; GET /intake/alerts, which the navigation
// polls, stays in client.ts.

import { downloadBlob, request, type QueryValue } from './client';
import type {
  AssessmentRequest,
  Assignee,
  ComplaintDetail,
  ComplaintList,
  ComplaintPatch,
  ComplaintRequest,
  ComplaintsQuery,
  FigureTargets,
  HandoverAcknowledgedRequest,
  IntakeFigures,
  IntakeReaders,
  IntakeVocabularies,
  PatchedComplaint,
  Places,
  ReaderChangeRequest,
  ReaderScope,
  RouteRequest,
  SeaType,
  SettableComplaintStatus,
  SubmittedComplaint,
  VictimPart,
  VictimPartDetail,
} from './types';

const complaintPath = (id: number, action = '') =>
  `/intake/complaints/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

/** The victims' readers are asked for with ?scope=victims; the intake readers without a scope. */
const scopeQuery = (scope: ReaderScope) => (scope === 'victims' ? { scope } : undefined);

export const intakeApi = {
  vocabularies: () => request<IntakeVocabularies>('GET', '/intake/vocabularies'),
  addSeaType: (seaType: Omit<SeaType, 'active'>) =>
    request<{ sea_type: SeaType }>('POST', '/intake/sea-types', { body: seaType }),
  updateSeaType: (code: string, change: Omit<SeaType, 'code'>) =>
    request<{ sea_type: SeaType }>('PUT', `/intake/sea-types/${encodeURIComponent(code)}`, { body: change }),

  submit: (complaint: ComplaintRequest) =>
    request<SubmittedComplaint>('POST', '/intake/complaints', { body: complaint }),
  complaints: (query: ComplaintsQuery) =>
    request<ComplaintList>('GET', '/intake/complaints', { query: query as Record<string, QueryValue> }),
  complaint: (id: number) => request<ComplaintDetail>('GET', complaintPath(id)),
  /** Sealed fields need an intake reader with identities open (403 reauth_required when the proof is old). */
  correct: (id: number, patch: ComplaintPatch) =>
    request<PatchedComplaint>('PATCH', complaintPath(id), { body: patch }),

  acknowledge: (id: number) => request<void>('POST', complaintPath(id, 'acknowledge'), { body: {} }),
  assignees: () => request<{ assignees: Assignee[] }>('GET', '/intake/assignees'),
  assign: (id: number, assignee: number | null) =>
    request<void>('POST', complaintPath(id, 'assign'), { body: { assignee } }),
  setStatus: (id: number, status: SettableComplaintStatus) =>
    request<void>('POST', complaintPath(id, 'status'), { body: { status } }),
  assess: (id: number, assessment: AssessmentRequest) =>
    request<{ complaint: unknown }>('POST', complaintPath(id, 'assessment'), { body: assessment }),
  route: (id: number, routing: RouteRequest) =>
    request<{ complaint: unknown }>('POST', complaintPath(id, 'route'), { body: routing }),
  handoverAcknowledged: (id: number, acknowledgement: HandoverAcknowledgedRequest) =>
    request<{ complaint: unknown }>('POST', complaintPath(id, 'handover-acknowledged'), { body: acknowledgement }),
  addNote: (id: number, text: string) => request<void>('POST', complaintPath(id, 'notes'), { body: { text } }),
  writeToReporter: (id: number, text: string) =>
    request<void>('POST', complaintPath(id, 'messages'), { body: { text } }),

  /** 403 `reauth_required` without a proof of presence in the last 15 minutes. */
  attachment: (complaintId: number, attachmentId: number) =>
    downloadBlob(complaintPath(complaintId, `attachments/${encodeURIComponent(attachmentId)}`)),

  readers: (scope: ReaderScope = 'intake') =>
    request<IntakeReaders>('GET', '/intake/readers', { query: scopeQuery(scope) }),
  /** Both need the caller's step-up proof in the body; `scope: 'victims'` for the victims' readers. */
  addReader: (change: ReaderChangeRequest) => request<void>('POST', '/intake/readers', { body: change }),
  removeReader: (change: ReaderChangeRequest) => request<void>('POST', '/intake/readers/remove', { body: change }),
  markReaderChangesSeen: (upTo: number) => request<void>('POST', '/intake/readers/seen', { body: { up_to: upTo } }),

  places: () => request<Places>('GET', '/intake/places'),
  setPlaces: (places: Places) => request<Places>('PUT', '/intake/places', { body: places }),

  victims: () => request<{ complaints: VictimPart[] }>('GET', '/intake/victims'),
  /** Audited; 404 for a complaint outside the VRA's view. */
  victimPart: (id: number) => request<VictimPartDetail>('GET', `/intake/victims/${encodeURIComponent(id)}`),

  figures: (from?: string, to?: string) =>
    request<IntakeFigures>('GET', '/intake/figures', { query: { from: from || undefined, to: to || undefined } }),
  setFigureTargets: (targets: FigureTargets) => request<FigureTargets>('PUT', '/intake/figures/targets', { body: targets }),
};
