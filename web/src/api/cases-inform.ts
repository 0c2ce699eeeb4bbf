// The calls of the victim-contact panel, the review page and the reminders count.

import { request } from './client';
import type {
  CaseDuePage,
  CaseReviewDecision,
  CaseReviewRow,
  NewCaseReviewDecision,
  NewVictimContact,
  VictimContact,
  VictimContactList,
} from './types';

/** The victims of a case as the contact panel needs them (a slice of the case). */
export interface CaseVictimRef {
  id: number;
  pseudonym: string;
}

export const informApi = {
  contacts: (caseId: number, victimId: number) =>
    request<VictimContactList>('GET', `/cases/${encodeURIComponent(caseId)}/victims/${encodeURIComponent(victimId)}/contacts`),
  addContact: (caseId: number, victimId: number, body: NewVictimContact) =>
    request<{ contact: VictimContact }>(
      'POST',
      `/cases/${encodeURIComponent(caseId)}/victims/${encodeURIComponent(victimId)}/contacts`,
      { body },
    ),
  review: () => request<{ cases: CaseReviewRow[] }>('GET', '/cases/review'),
  addDecision: (caseId: number, body: NewCaseReviewDecision) =>
    request<{ decision: CaseReviewDecision }>('POST', `/cases/${encodeURIComponent(caseId)}/review-decisions`, { body }),
  /** Only the count is read: one item is enough. */
  myDue: (withinDays = 7) =>
    request<CaseDuePage>('GET', '/cases/due', { query: { mine: 'true', within_days: withinDays, limit: 1 } }),
};
