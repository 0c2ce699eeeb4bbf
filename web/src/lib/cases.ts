// Helpers of the cases views: names of the API's values, the workflow (which steps follow a
// status, who may take them and what each needs, as server/modules/cases/model.cc has it),
// clocks in words, and the server's refusals turned into text that names the field.

import { ApiError } from '../api/client';
import type { CaseClock, CaseDetail, CaseStatus, CaseSummary } from '../api/types';
import '../i18n/cases';
import { knownKey, t } from '../i18n/index.svelte';
import { errorText, formatDate } from './format';
import { session } from './session.svelte';

export type CaseValueKind =
  | 'status'
  | 'category'
  | 'type'
  | 'precision'
  | 'entity'
  | 'outcome'
  | 'rule'
  | 'clockState'
  | 'entryKind'
  | 'entryType'
  | 'event'
  | 'access';

/** The name of an API value in the current language (the code itself when unknown). */
export function caseLabel(kind: CaseValueKind, value: string | null | undefined): string {
  if (!value) return '—';
  const key = knownKey(`cases.${kind}.${value}`);
  return key ? t(key) : value;
}

export const FINAL_STATUSES: readonly CaseStatus[] = ['not_sea', 'closed_without_investigation', 'closed'];
export function isFinal(status: CaseStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** One edge of the workflow. `who`: cdt (chief and officers), chief only, or also the investigator. */
export interface CaseStep {
  from: CaseStatus;
  to: CaseStatus;
  who: 'cdt' | 'chief' | 'cdt_or_investigator';
  /** Fields the server requires for this step (400 naming the field without them). */
  requires: readonly ('reason' | 'entity' | 'outcome')[];
  /** Fields the step may carry besides the date and a note. */
  offers: readonly ('entity' | 'outcome')[];
}

export const CASE_STEPS: readonly CaseStep[] = [
  { from: 'received', to: 'under_assessment', who: 'cdt', requires: [], offers: [] },
  { from: 'under_assessment', to: 'referred_for_investigation', who: 'cdt', requires: [], offers: ['entity'] },
  { from: 'under_assessment', to: 'not_sea', who: 'chief', requires: ['reason'], offers: [] },
  { from: 'under_assessment', to: 'closed_without_investigation', who: 'chief', requires: ['reason'], offers: [] },
  { from: 'referred_for_investigation', to: 'under_investigation', who: 'cdt', requires: ['entity'], offers: ['entity'] },
  { from: 'under_investigation', to: 'report_received', who: 'cdt_or_investigator', requires: [], offers: [] },
  { from: 'report_received', to: 'under_review', who: 'cdt', requires: [], offers: [] },
  { from: 'under_review', to: 'action_pending', who: 'cdt', requires: [], offers: [] },
  { from: 'under_review', to: 'closed', who: 'chief', requires: ['outcome'], offers: ['outcome'] },
  { from: 'action_pending', to: 'closed', who: 'chief', requires: ['outcome'], offers: ['outcome'] },
];

export function nextSteps(status: CaseStatus): CaseStep[] {
  return CASE_STEPS.filter((step) => step.from === status);
}

/** Whether the signed-in user's role may take the step (the server checks it again). */
export function mayTake(step: CaseStep): boolean {
  const role = session.me?.user.role;
  if (step.who === 'chief') return role === 'cdt_chief';
  if (step.who === 'cdt') return role === 'cdt_chief' || role === 'cdt_officer';
  return role === 'cdt_chief' || role === 'cdt_officer' || role === 'investigator';
}

/** Today as YYYY-MM-DD in the reader's time zone (the default of a step's date). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** "due in 3 days", "due today", "5 days overdue", "met on time"... */
export function clockText(clock: Pick<CaseClock, 'state' | 'days_left'>): string {
  if (clock.state === 'overdue' || (clock.days_left !== null && clock.days_left < 0 && clock.state !== 'met_late')) {
    const days = Math.abs(clock.days_left ?? 0);
    return days === 0 ? t('cases.clock.overdueToday') : t(days === 1 ? 'cases.clock.overdueOne' : 'cases.clock.overdue', { n: days });
  }
  if (clock.state === 'running' || clock.state === 'paused') {
    if (clock.days_left === null) return caseLabel('clockState', clock.state);
    const left = clock.days_left;
    const text = left === 0 ? t('cases.clock.today') : t(left === 1 ? 'cases.clock.leftOne' : 'cases.clock.left', { n: left });
    return clock.state === 'paused' ? `${text} · ${t('cases.clockState.paused')}` : text;
  }
  return caseLabel('clockState', clock.state);
}

/** The clock a list row or the header shows first: overdue, else the nearest running one. */
export function nextClock(clocks: readonly CaseClock[]): CaseClock | null {
  const open = clocks.filter((clock) => clock.due_at && (clock.state === 'overdue' || clock.state === 'running' || clock.state === 'paused'));
  open.sort((a, b) => (a.days_left ?? 0) - (b.days_left ?? 0));
  return open[0] ?? null;
}

export function dueDate(iso: string | null): string {
  return iso ? formatDate(iso) : '—';
}

/** The incident date as written, with its precision ("2026-03 (month)"). */
export function incidentText(kase: Pick<CaseSummary, 'incident_date' | 'incident_date_precision'>): string {
  if (kase.incident_date_precision === 'unknown' || !kase.incident_date) return caseLabel('precision', 'unknown');
  return `${kase.incident_date} (${caseLabel('precision', kase.incident_date_precision)})`;
}

/** Human names of the fields the server may blame, for the messages below. */
export function fieldLabel(field: string): string {
  const key = knownKey(`cases.field.${field}`);
  return key ? t(key) : field;
}

/**
 * The text of a refused change. The server names the field it refuses (400 missing or wrong,
 * 409 status or version, 422 an impossible date): say which field and why, in the reader's
 * language, rather than a generic sentence.
 */
export function caseErrorText(failure: unknown): string {
  if (!(failure instanceof ApiError) || !failure.field) return errorText(failure);
  const field = fieldLabel(failure.field);
  if (failure.code === 'conflict' && failure.field === 'version') return t('cases.error.version');
  if (failure.code === 'conflict' && failure.field === 'status') return t('cases.error.status', { message: failure.message });
  if (failure.code === 'unprocessable') return t('cases.error.unprocessable', { field, message: failure.message });
  if (failure.code === 'validation_failed') return t('cases.error.invalid', { field, message: failure.message });
  if (failure.code === 'conflict') return t('cases.error.conflict', { field, message: failure.message });
  return errorText(failure);
}

/** The field a refusal names, when it is one of `fields` (to mark it in the form). */
export function blamedField<T extends string>(failure: unknown, fields: readonly T[]): T | null {
  if (!(failure instanceof ApiError) || !failure.field) return null;
  return (fields as readonly string[]).includes(failure.field) ? (failure.field as T) : null;
}

export function isReauthRequired(failure: unknown): boolean {
  return failure instanceof ApiError && failure.code === 'reauth_required';
}

/** Props every panel of the case page takes: the case, and what to do with the case a change answered. */
export interface PanelProps {
  kase: CaseDetail;
  onchange: (updated: CaseDetail) => void;
}
