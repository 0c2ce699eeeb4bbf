// Helpers of the action plan views: status and frequency names, months, sizes, and the
// server's "late" sentences in the reader's language.

import type { ActivityStatus, Frequency, OccurrenceState } from '../api/types';
import '../i18n/plan';
import { intlLocale, knownKey, t } from '../i18n/index.svelte';

export function statusLabel(status: string): string {
  const key = knownKey(`status.${status}`);
  return key ? t(key) : status;
}

/** Two letters shown in month cells, explained by the legend and by each cell's title. */
export function statusShort(status: string): string {
  const key = knownKey(`statusShort.${status}`);
  return key ? t(key) : status.slice(0, 2).toUpperCase();
}

/** A pillar's name in the reader's language; the plan's own heading is the fallback. */
export function pillarLabel(key: string, fallback = key): string {
  const known = knownKey(`pillar.${key}`);
  return known ? t(known) : fallback;
}

/** How plan texts mark a fragment the transcription could not read (docs/plan-format.md). */
export const ILLEGIBLE = '[illegible]';

/** A plan text cut at its "[illegible]" markers: the legible pieces and, between them, nulls. */
export function illegibleParts(text: string): (string | null)[] {
  const out: (string | null)[] = [];
  text.split(ILLEGIBLE).forEach((piece, index) => {
    if (index > 0) out.push(null);
    if (piece) out.push(piece);
  });
  return out;
}

/** A plan text as plain words, for labels and titles: markers spelled out. */
export function plainText(text: string): string {
  return text.split(ILLEGIBLE).join(`[${t('plan.illegible')}]`);
}

export function frequencyLabel(frequency: Frequency | string): string {
  const key = knownKey(`frequency.${frequency}`);
  return key ? t(key) : frequency;
}

export function occurrenceLabel(state: OccurrenceState | string): string {
  const key = knownKey(`occurrence.${state}`);
  return key ? t(key) : state;
}

/** Whether a month cell of this status is coloured (not_started and none stay blank). */
export function isShownStatus(status: ActivityStatus | undefined | null): status is ActivityStatus {
  return !!status && status !== 'not_started';
}

// ---- Months as YYYY-MM

export function parseMonth(text: string): { year: number; month: number } | null {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 ? { year: Number(match[1]), month } : null;
}

export function monthKey(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** Every month from `from` to `to` (YYYY-MM), both included. */
export function monthsBetween(from: string, to: string): string[] {
  const start = parseMonth(from);
  const end = parseMonth(to);
  if (!start || !end) return [];
  const out: string[] = [];
  let year = start.year;
  let month = start.month;
  while ((year < end.year || (year === end.year && month <= end.month)) && out.length < 1200) {
    out.push(monthKey(year, month));
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return out;
}

/** The calendar years a period touches. */
export function yearsBetween(from: string, to: string): number[] {
  const start = parseMonth(from);
  const end = parseMonth(to);
  if (!start || !end) return [];
  const out: number[] = [];
  for (let year = start.year; year <= end.year; year += 1) out.push(year);
  return out;
}

/** A month of the year (1-12) by name: `long` (January), `short` (Jan) or `narrow` (J). */
export function monthName(month: number, width: 'long' | 'short' | 'narrow' = 'long'): string {
  return new Intl.DateTimeFormat(intlLocale(), { month: width, timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, month - 1, 1)),
  );
}

/** YYYY-MM as "March 2018" (or "mars 2018"). */
export function formatMonth(text: string): string {
  const parsed = parseMonth(text);
  if (!parsed) return text;
  return new Intl.DateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(parsed.year, parsed.month - 1, 1)),
  );
}

/** YYYY-MM-DD as a date in words, read as a calendar day (no time zone shift). */
export function formatDay(text: string | null | undefined): string {
  if (!text) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return text;
  return new Intl.DateTimeFormat(intlLocale(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))),
  );
}

/** The current month as YYYY-MM, in the reader's time zone. */
export function currentMonth(): string {
  const now = new Date();
  return monthKey(now.getFullYear(), now.getMonth() + 1);
}

/** The last day of a month, as YYYY-MM-DD. */
export function lastDayOf(month: string): string {
  const parsed = parseMonth(month);
  if (!parsed) return '';
  const day = new Date(Date.UTC(parsed.year, parsed.month, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** A file size in B, KiB or MiB. */
export function formatSize(bytes: number): string {
  const number = (value: number, digits: number) =>
    new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits }).format(value);
  if (bytes < 1024) return t('size.bytes', { n: number(bytes, 0) });
  if (bytes < 1024 * 1024) return t('size.kib', { n: number(bytes / 1024, 1) });
  return t('size.mib', { n: number(bytes / (1024 * 1024), 1) });
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 2 }).format(value);
}

/** The server explains lateness in English sentences; known ones are translated, others kept. */
export function lateReasonText(reason: string): string {
  let match = /^status (\w+)$/.exec(reason);
  if (match) return t('late.status', { status: statusLabel(match[1]!) });
  match = /^(\d+) occurrence\(s\) without an entry$/.exec(reason);
  if (match) return t('late.occurrences', { n: Number(match[1]) });
  match = /^no entry for target month (\d{4}-\d{2})$/.exec(reason);
  if (match) return t('late.targetMonth', { month: formatMonth(match[1]!) });
  return reason;
}

/** Lower case without accents, for searching "évaluation" with "evaluation". */
export function searchable(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}
