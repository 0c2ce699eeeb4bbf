// Helpers of the complaint intake views: names of the API's values, ages since receipt, the
// places list and the names of its codes, the receipt code in groups, the draft of a new
// complaint, and where a server error points.

import { intakeApi } from '../api/intake';
import type {
  AgeGroup,
  Complaint,
  ComplaintStatus,
  ContactMethod,
  DatePrecision,
  IntakeChannel,
  NotSeaDestination,
  PerpetratorCategory,
  Places,
  ReporterLanguage,
  ReporterRelation,
  SettableComplaintStatus,
  Sex,
} from '../api/types';
import '../i18n/intake';
import { knownKey, t } from '../i18n/index.svelte';

// ---- The API's values, in the order of docs/openapi.json

export const INTAKE_CHANNELS = [
  'hotline_4044',
  'hotline_4445',
  'email',
  'sms',
  'walk_in',
  'cbcm',
  'other',
] as const satisfies readonly IntakeChannel[];
export const COMPLAINT_STATUSES = [
  'new',
  'acknowledged',
  'assessing',
  'ready_for_case',
  'referred',
  'not_sea',
  'duplicate',
  'closed',
] as const satisfies readonly ComplaintStatus[];
export const SETTABLE_COMPLAINT_STATUSES = [
  'acknowledged',
  'assessing',
  'ready_for_case',
  'closed',
] as const satisfies readonly SettableComplaintStatus[];
export const REPORTER_RELATIONS = [
  'victim',
  'witness',
  'family',
  'community_member',
  'staff',
  'partner_organisation',
  'anonymous',
] as const satisfies readonly ReporterRelation[];
export const CONTACT_METHODS = [
  'none',
  'phone',
  'sms',
  'email',
  'in_person',
  'through_partner',
] as const satisfies readonly ContactMethod[];
export const REPORTER_LANGUAGES = ['fr', 'en', 'sg', 'other'] as const satisfies readonly ReporterLanguage[];
export const DATE_PRECISIONS = ['exact', 'month', 'approximate', 'unknown'] as const satisfies readonly DatePrecision[];
export const AGE_GROUPS = ['minor', 'adult', 'unknown'] as const satisfies readonly AgeGroup[];
export const SEXES = ['female', 'male', 'other', 'unknown'] as const satisfies readonly Sex[];
export const PERPETRATOR_CATEGORIES = [
  'civilian_international',
  'civilian_national',
  'civilian_unv',
  'military_contingent',
  'military_observer',
  'police_individual',
  'police_fpu',
  'contractor',
  'implementing_partner',
  'non_un_forces',
  'military',
  'police',
  'civilian',
  'unknown',
] as const satisfies readonly PerpetratorCategory[];
export const NOT_SEA_DESTINATIONS = [
  'other_misconduct',
  'another_entity',
  'not_un_related',
] as const satisfies readonly NotSeaDestination[];

export type ValueKind =
  | 'channel'
  | 'status'
  | 'relation'
  | 'contact'
  | 'language'
  | 'precision'
  | 'ageGroup'
  | 'sex'
  | 'category'
  | 'destination';

/** The name of one of the API's values (a channel, a status...) in the reader's language. */
export function valueLabel(kind: ValueKind, value: string | null | undefined): string {
  if (!value) return '—';
  const key = knownKey(`intake.${kind}.${value}`);
  return key ? t(key) : value;
}

/** Time since `iso` as "12 min", "3 h" or "2 d": how long a complaint has waited. */
export function ageSince(iso: string, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return t('intake.age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('intake.age.hours', { n: hours });
  return t('intake.age.days', { n: Math.floor(hours / 24) });
}

// ---- The places list (prefectures, sub-prefectures, towns). It changes seldom, so it is fetched
// once per app session and shared by the views; saving it on the places page replaces the copy.

let placesRequest: Promise<Places> | null = null;

/** The places list, fetched on the first call. A failure is not kept: the next call asks again. */
export function loadPlaces(): Promise<Places> {
  if (!placesRequest) {
    placesRequest = intakeApi.places().catch((failure: unknown) => {
      placesRequest = null;
      throw failure;
    });
  }
  return placesRequest;
}

/** What the server stored after the CDT saved the list becomes the shared copy. */
export function rememberPlaces(places: Places): void {
  placesRequest = Promise.resolve(places);
}

/** Prefecture and sub-prefecture codes → their names (codes are unique across the list). */
export type PlaceNames = ReadonlyMap<string, string>;

export function placeNames(places: Places): PlaceNames {
  const names = new Map<string, string>();
  for (const prefecture of places.prefectures) {
    names.set(prefecture.code, prefecture.name);
    for (const sub of prefecture.sub_prefectures) names.set(sub.code, sub.name);
  }
  return names;
}

/** "Town, sub-prefecture, prefecture" by name; a code the list does not know (yet) as itself. */
export function place(
  complaint: Pick<Complaint, 'town' | 'sub_prefecture' | 'prefecture'>,
  names: PlaceNames | null = null,
): string {
  const nameOf = (code: string) => (code && names?.get(code)) || code;
  return (
    [complaint.town, nameOf(complaint.sub_prefecture), nameOf(complaint.prefecture)].filter(Boolean).join(', ') || '—'
  );
}

/** XXXX-XXXX-XXXX-XXXX as its four groups. */
export function receiptGroups(code: string): string[] {
  return code.toUpperCase().split(/[-\s]+/).filter(Boolean);
}

// ---- The draft of a new complaint: in sessionStorage only (it dies with the browser tab, and
// logging out clears it), never in localStorage: intake is often done on shared computers.

const DRAFT_PREFIX = 'psea.intake.draft.';

export function loadDraft<T>(userId: number): T | null {
  try {
    const text = sessionStorage.getItem(DRAFT_PREFIX + userId);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

export function saveDraft(userId: number, draft: unknown): void {
  try {
    sessionStorage.setItem(DRAFT_PREFIX + userId, JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the form still works, only without a draft.
  }
}

export function clearDraft(userId: number): void {
  try {
    sessionStorage.removeItem(DRAFT_PREFIX + userId);
  } catch {
    // Nothing was stored.
  }
}

// ---- Server errors of the new-complaint form

/** The id of the input for a field the server blamed: `victims[0].age_group` → `in-victims-0-age_group`. */
export function inputIdFor(field: string): string {
  return `in-${field.replace(/\[(\d+)\]\.?/g, '-$1-')}`;
}

/** What to say next to the input, by the last part of the field's name. */
export function fieldMessage(field: string): string {
  const leaf = field.replace(/^.*[.\]]/, '');
  const key = knownKey(`intake.form.error.${leaf}`);
  return key ? t(key) : t('intake.form.fieldError');
}

/** Size of a text as the server counts it (bytes of UTF-8). */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}
