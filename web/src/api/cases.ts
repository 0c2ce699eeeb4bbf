// The calls of the cases views (docs/api.md "Cases"), loaded with them. Every change answers
// the whole case ({case}), which the case page shows at once instead of reading it again.

import { ApiError, request, type QueryValue } from './client';
import type {
  CaseDuePage,
  CasePatchRequest,
  CasePauseRequest,
  CaseReaders,
  CaseResponse,
  CasesQuery,
  CaseSubjectIdentity,
  CaseSummary,
  CaseTransitionRequest,
  CaseVictimIdentity,
  NewCaseEntryRequest,
  NewCaseRequest,
  NewCaseSubjectRequest,
  NewCaseVictimRequest,
  StepUpProof,
} from './types';

const casePath = (id: number, action = '') => `/cases/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

function queryOf(query: CasesQuery): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '' || value === false) continue;
    out[name] = value === true ? 'true' : String(value);
  }
  return out;
}

export interface CaseList {
  cases: CaseSummary[];
  /** How many cases the caller may see pass the filters (the list comes a page at a time). */
  total: number;
  /** False when the server refused the filters (a version without them): the caller filters. */
  filtered: boolean;
}

export const casesApi = {
  /** The list with the filters as query parameters; a server that does not know one of them
   *  answers 400 naming it, and the whole list is asked for instead (filtered: false). */
  list: async (query: CasesQuery, offset = 0): Promise<CaseList> => {
    const params = { ...queryOf(query), ...(offset > 0 ? { offset: String(offset) } : {}) };
    try {
      const { cases, total } = await request<{ cases: CaseSummary[]; total?: number }>('GET', '/cases', {
        query: params,
      });
      return { cases, total: total ?? cases.length, filtered: true };
    } catch (failure) {
      const refused =
        failure instanceof ApiError && failure.status === 400 && failure.field !== null && failure.field in params;
      if (!refused) throw failure;
      const { cases, total } = await request<{ cases: CaseSummary[]; total?: number }>('GET', '/cases');
      return { cases, total: total ?? cases.length, filtered: false };
    }
  },
  get: (id: number) => request<CaseResponse>('GET', casePath(id)),
  /** 403 reauth_required without a recent proof (the complaints' sealed halves are re-sealed). */
  create: (body: NewCaseRequest) => request<CaseResponse>('POST', '/cases', { body }),
  addComplaints: (id: number, complaints: number[]) =>
    request<CaseResponse>('POST', casePath(id, 'complaints'), { body: { complaints } }),
  update: (id: number, patch: CasePatchRequest) => request<CaseResponse>('PATCH', casePath(id), { body: patch }),
  transition: (id: number, body: CaseTransitionRequest) =>
    request<CaseResponse>('POST', casePath(id, 'transitions'), { body }),
  addVictim: (id: number, body: NewCaseVictimRequest) => request<CaseResponse>('POST', casePath(id, 'victims'), { body }),
  addSubject: (id: number, body: NewCaseSubjectRequest) =>
    request<CaseResponse>('POST', casePath(id, 'subjects'), { body }),
  addEntry: (id: number, body: NewCaseEntryRequest) => request<CaseResponse>('POST', casePath(id, 'entries'), { body }),
  linkAdvocate: (id: number, userId: number) =>
    request<CaseResponse>('POST', casePath(id, 'advocates'), { body: { user_id: userId } }),
  unlinkAdvocate: (id: number, userId: number) =>
    request<CaseResponse>('DELETE', casePath(id, `advocates/${encodeURIComponent(userId)}`)),
  assign: (id: number, userId: number) =>
    request<CaseResponse>('POST', casePath(id, 'officers'), { body: { user_id: userId } }),
  unassign: (id: number, userId: number) =>
    request<CaseResponse>('DELETE', casePath(id, `officers/${encodeURIComponent(userId)}`)),
  /** Audited; 403 reauth_required without a proof in the last 15 minutes. */
  revealVictim: (id: number, victimId: number) =>
    request<CaseVictimIdentity>('POST', casePath(id, `victims/${encodeURIComponent(victimId)}/reveal`), { body: {} }),
  revealSubject: (id: number, subjectId: number) =>
    request<CaseSubjectIdentity>('POST', casePath(id, `subjects/${encodeURIComponent(subjectId)}/reveal`), { body: {} }),
  pause: (id: number, body: CasePauseRequest) => request<CaseResponse>('POST', casePath(id, 'pauses'), { body }),
  endPause: (id: number, pauseId: number) =>
    request<CaseResponse>('POST', casePath(id, `pauses/${encodeURIComponent(pauseId)}/end`), { body: {} }),

  due: (withinDays: number, mine: boolean, offset = 0) =>
    request<CaseDuePage>('GET', '/cases/due', {
      query: { within_days: withinDays, mine: mine ? 'true' : undefined, offset: offset > 0 ? offset : undefined },
    }),

  readers: () => request<CaseReaders>('GET', '/case-readers'),
  addReader: (userId: number, proof: StepUpProof) =>
    request<void>('POST', '/case-readers', { body: { user_id: userId, ...proof } }),
  removeReader: (userId: number, proof: StepUpProof) =>
    request<void>('POST', '/case-readers/remove', { body: { user_id: userId, ...proof } }),
};
