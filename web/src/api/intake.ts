// The calls of the complaint intake views. They live apart from client.ts so that they are
// loaded with those views, not with the first page; GET /intake/alerts, which the navigation
// polls, stays in client.ts.

import { downloadBlob, request, type QueryValue } from './client';
import type {
  ComplaintDetail,
  ComplaintList,
  ComplaintRequest,
  ComplaintsQuery,
  IntakeReaders,
  NotSeaDestination,
  Places,
  ReaderChangeRequest,
  SettableComplaintStatus,
  SubmittedComplaint,
} from './types';

const complaintPath = (id: number, action = '') =>
  `/intake/complaints/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const intakeApi = {
  submit: (complaint: ComplaintRequest) =>
    request<SubmittedComplaint>('POST', '/intake/complaints', { body: complaint }),
  complaints: (query: ComplaintsQuery) =>
    request<ComplaintList>('GET', '/intake/complaints', { query: query as Record<string, QueryValue> }),
  complaint: (id: number) => request<ComplaintDetail>('GET', complaintPath(id)),

  acknowledge: (id: number) => request<void>('POST', complaintPath(id, 'acknowledge'), { body: {} }),
  assign: (id: number, assignee: number | null) =>
    request<void>('POST', complaintPath(id, 'assign'), { body: { assignee } }),
  setStatus: (id: number, status: SettableComplaintStatus) =>
    request<void>('POST', complaintPath(id, 'status'), { body: { status } }),
  notSea: (id: number, destination: NotSeaDestination) =>
    request<void>('POST', complaintPath(id, 'not-sea'), { body: { destination } }),
  duplicateOf: (id: number, of: number) => request<void>('POST', complaintPath(id, 'duplicate'), { body: { of } }),
  addNote: (id: number, text: string) => request<void>('POST', complaintPath(id, 'notes'), { body: { text } }),
  writeToReporter: (id: number, text: string) =>
    request<void>('POST', complaintPath(id, 'messages'), { body: { text } }),

  /** 403 `reauth_required` without a proof of presence in the last 15 minutes. */
  attachment: (complaintId: number, attachmentId: number) =>
    downloadBlob(complaintPath(complaintId, `attachments/${encodeURIComponent(attachmentId)}`)),

  readers: () => request<IntakeReaders>('GET', '/intake/readers'),
  /** Both need the caller's step-up proof in the body. */
  addReader: (change: ReaderChangeRequest) => request<void>('POST', '/intake/readers', { body: change }),
  removeReader: (change: ReaderChangeRequest) => request<void>('POST', '/intake/readers/remove', { body: change }),
  markReaderChangesSeen: (upTo: number) => request<void>('POST', '/intake/readers/seen', { body: { up_to: upTo } }),

  places: () => request<Places>('GET', '/intake/places'),
  setPlaces: (places: Places) => request<Places>('PUT', '/intake/places', { body: places }),
};
