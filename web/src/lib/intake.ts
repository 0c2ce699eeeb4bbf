// Helpers of the complaint intake views: names of the API's values, ages since receipt, the
// places list and the names of its codes, the receipt code in groups, the draft of a new
// complaint, and where a server error points.

import { intakeApi } from '../api/intake';
import type {
  AgeGroup,
  Assignee,
  CloseReason,
  Complaint,
  ComplaintRoute,
  ComplaintStatus,
  ContactMethod,
  DatePrecision,
  IntakeChannel,
  IntakeVocabularies,
  PerpetratorAffiliation,
  PerpetratorCategory,
  Places,
  ReporterLanguage,
  ReporterRelation,
  SeaCategory,
  SeaType,
  SettableComplaintStatus,
  Sex,
  YesNoUnknown,
} from '../api/types';
import '../i18n/intake';
import { intlLocale, knownKey, locale, t } from '../i18n/index.svelte';

// ---- The API's values, in the order of docs/openapi.json

/** The channels a staff member enters a complaint through. */
export const INTAKE_CHANNELS = [
  'hotline_4044',
  'hotline_4445',
  'email',
  'sms',
  'walk_in',
  'cbcm',
  'complaint_box',
  'community_liaison',
  'observation',
  'referral_oios_hq',
  'media',
  'other',
] as const satisfies readonly IntakeChannel[];
/** Every channel, for filters and names: also those no staff member types in (the public web
 *  form, a partner's system). */
export const ALL_CHANNELS = [...INTAKE_CHANNELS, 'web', 'partner'] as const satisfies readonly IntakeChannel[];
export const COMPLAINT_STATUSES = [
  'new',
  'acknowledged',
  'assessing',
  'ready_for_case',
  'referred',
  'handed_over',
  'gbv_referral',
  'other_misconduct',
  'duplicate',
  'closed',
] as const satisfies readonly ComplaintStatus[];
export const SETTABLE_COMPLAINT_STATUSES = ['acknowledged', 'assessing'] as const satisfies readonly SettableComplaintStatus[];
export const REPORTER_RELATIONS = [
  'victim',
  'witness',
  'family',
  'community_member',
  'staff',
  'cbcm_member',
  'local_leader',
  'service_provider',
  'partner_organisation',
  'anonymous',
  'unknown',
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
  'un_agency',
  'consultant',
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
export const YES_NO_UNKNOWN = ['yes', 'no', 'unknown'] as const satisfies readonly YesNoUnknown[];
export const SEA_CATEGORIES = ['sexual_exploitation', 'sexual_abuse'] as const satisfies readonly SeaCategory[];
export const PERPETRATOR_AFFILIATIONS = [
  'mission',
  'un_entity',
  'implementing_partner',
  'not_un',
  'unknown',
] as const satisfies readonly PerpetratorAffiliation[];
export const ROUTES = ['case', 'handed_over', 'gbv_referral', 'other_misconduct', 'closed'] as const satisfies readonly ComplaintRoute[];
export const CLOSE_REASONS = [
  'insufficient_information',
  'withdrawn',
  'duplicate',
  'outside_mandate',
] as const satisfies readonly CloseReason[];

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
  | 'yesNo'
  | 'seaCategory'
  | 'affiliation'
  | 'route'
  | 'closeReason'
  | 'field';

/** The name of one of the API's values (a channel, a status...) in the reader's language. */
export function valueLabel(kind: ValueKind, value: string | null | undefined): string {
  if (!value) return '—';
  const key = knownKey(`intake.${kind}.${value}`);
  return key ? t(key) : value;
}

/** The routes the assessment allows (the server's rules; it refuses the others with 422 "route"). */
export function allowedRoutes(assessment: Complaint['assessment']): ComplaintRoute[] {
  if (!assessment) return [];
  const routes: ComplaintRoute[] = [];
  const affiliation = assessment.perpetrator_affiliation;
  if (assessment.is_sea && (affiliation === 'mission' || affiliation === 'unknown')) routes.push('case');
  if (assessment.is_sea && (affiliation === 'un_entity' || affiliation === 'implementing_partner')) routes.push('handed_over');
  if (affiliation === 'not_un') routes.push('gbv_referral');
  if (!assessment.is_sea) routes.push('other_misconduct');
  routes.push('closed');
  return routes;
}

/** Time since `iso` as "12 min", "3 h" or "2 d": how long a complaint has waited. */
export function ageSince(iso: string, now: number = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return t('intake.age.minutes', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('intake.age.hours', { n: hours });
  return t('intake.age.days', { n: Math.floor(hours / 24) });
}

// ---- The vocabularies (sea types and countries among them): fetched once per app session,
// like the places list; the sea types editor replaces the copy after a change.

let vocabulariesRequest: Promise<IntakeVocabularies> | null = null;

export function loadVocabularies(): Promise<IntakeVocabularies> {
  if (!vocabulariesRequest) {
    vocabulariesRequest = intakeApi.vocabularies().catch((failure: unknown) => {
      vocabulariesRequest = null;
      throw failure;
    });
  }
  return vocabulariesRequest;
}

/** After the chief changed the sea types: the next view asks again. */
export function forgetVocabularies(): void {
  vocabulariesRequest = null;
}

/** A sea type's name in the reader's language; a code the list does not know as itself. */
export function seaTypeLabel(types: readonly SeaType[] | null | undefined, code: string | null | undefined): string {
  if (!code) return '—';
  const type = types?.find((item) => item.code === code);
  if (!type) return code;
  return (locale() === 'fr' ? type.label_fr : type.label_en) || type.label_en || code;
}

let regionNames: { locale: string; names: Intl.DisplayNames | null } | null = null;

/** A country's name from its ISO 3166 alpha-2 code, in the reader's language (the browser knows them). */
export function countryName(code: string | null | undefined): string {
  if (!code) return '—';
  if (regionNames?.locale !== locale()) {
    let names: Intl.DisplayNames | null = null;
    try {
      names = new Intl.DisplayNames([locale()], { type: 'region' });
    } catch {
      // An old browser: the codes are shown.
    }
    regionNames = { locale: locale(), names };
  }
  try {
    return regionNames.names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The countries of the list for a <select>, sorted by their name in the reader's language. */
export function countryOptions(codes: readonly string[]): { value: string; label: string }[] {
  const collator = new Intl.Collator(locale());
  return codes
    .map((code) => ({ value: code, label: countryName(code) }))
    .sort((a, b) => collator.compare(a.label, b.label));
}

/** "Display name (username)" of an officer a complaint can be assigned to. */
export function assigneeLabel(person: Assignee): string {
  return person.display_name && person.display_name !== person.username
    ? `${person.display_name} (${person.username})`
    : person.username;
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

/** Field office codes → their names (a list apart: its codes may repeat a prefecture's). */
export function fieldOfficeNames(places: Places | null): PlaceNames {
  return new Map((places?.field_offices ?? []).map((office) => [office.code, office.name]));
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

// ---- Dates typed in the browser's local time (<input type="datetime-local"> and type="date")

const pad = (n: number) => String(n).padStart(2, '0');

/** `date` as the value of a datetime-local input: YYYY-MM-DDTHH:MM in local time. */
export function localDateTimeValue(date: Date = new Date()): string {
  return `${localDateValue(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `date` as the value of a date input: YYYY-MM-DD in local time. */
export function localDateValue(date: Date = new Date()): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A calendar day (YYYY-MM-DD, no time zone) in the reader's language. */
export function formatDay(day: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? '');
  if (!match) return day || '—';
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Intl.DateTimeFormat(intlLocale(), { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

/** A datetime-local value as ISO 8601 UTC; null when it is not a date. */
export function isoFromLocal(value: string): string | null {
  const time = new Date(value).getTime();
  return value && !Number.isNaN(time) ? new Date(time).toISOString() : null;
}

/** Whether a datetime-local value lies in the future (a minute of grace for the clock). */
export function isFuture(value: string, now: number = Date.now()): boolean {
  const time = new Date(value).getTime();
  return !Number.isNaN(time) && time > now + 60_000;
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
