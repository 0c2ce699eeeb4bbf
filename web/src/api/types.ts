// Wire types of the psea HTTP API v1, mirrored from docs/api.md (the contract) and the
// server's route table. Keep field names exactly as the server sends them (snake_case).
// Times are ISO 8601 UTC strings; ids are integers.

/** Every role the server knows; 2FA is mandatory for some of them (see Role.totp_required). */
export const ROLE_NAMES = [
  'admin',
  'cdt_chief',
  'cdt_officer',
  'intake_operator',
  'vra',
  'investigator',
  'cbcm_focal_point',
  'training_officer',
  'risk_officer',
  'partner_focal_point',
  'leadership',
  'provider_case_manager',
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Permissions reported by GET /auth/me. Later modules add their own, hence the open string. */
export type Permission =
  | 'users.manage'
  | 'audit.read'
  | 'tokens.manage'
  | 'intake.submit'
  | 'intake.queue'
  | 'intake.readers'
  | 'intake.victims'
  | 'intake.figures'
  | 'cases.manage'
  | 'cases.readers'
  | 'retention.manage'
  | 'retention.hold'
  | 'providers.read'
  | 'providers.manage'
  | 'providers.members'
  | 'providers.own'
  | 'trustfund.manage'
  | 'trustfund.figures'
  | (string & {});

export const TOKEN_SCOPES = ['intake.sms', 'intake.partner', 'metrics.read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
/** The SMS gateway a token with scope intake.sms is made for (docs/operations.md, SMS gateways). */
export const SMS_GATEWAYS = ['generic', 'kannel', 'rapidpro', 'africastalking', 'twilio', 'smssync', 'android'] as const;
export type SmsGateway = (typeof SMS_GATEWAYS)[number];

/** GET/PUT /intake/sms/gateways/{token_id}: a gateway token's settings, secrets masked ("...abcd", "" when unset). */
export interface SmsGatewaySettings {
  token_id: number;
  /** twilio (secret) */
  twilio_auth_token: string;
  /** twilio: the exact URL Twilio calls; it holds the token, so it is masked (secret) */
  public_url: string;
  /** android: X-Signature key; smssync: its secret (secret) */
  signing_key: string;
  /** africastalking, android: where replies are sent */
  outgoing_url: string;
  /** africastalking: the app's username; android: the Basic user */
  outgoing_username: string;
  /** africastalking: the API key; android: the Basic password (secret) */
  outgoing_secret: string;
  /** africastalking: the short code replies come from */
  sender: string;
}
export type SmsGatewaySettingName = Exclude<keyof SmsGatewaySettings, 'token_id'>;
/** The masked fields. */
export const SMS_GATEWAY_SECRETS: readonly SmsGatewaySettingName[] = ['twilio_auth_token', 'public_url', 'signing_key', 'outgoing_secret'];
/** PUT: an absent field stays as it is, "" clears it. */
export type SmsGatewaySettingsPatch = Partial<Record<SmsGatewaySettingName, string>>;

export const ERROR_CODES = [
  'bad_json',
  'validation_failed',
  'unknown_field',
  'unauthenticated',
  'invalid_credentials',
  'totp_required',
  'totp_invalid',
  'forbidden',
  'csrf_failed',
  'enrolment_required',
  'password_change_required',
  'reauth_required',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
  'internal',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** `{"error": {...}}`, the one failure shape of the API. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    field?: string | null;
  };
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: RoleName;
  disabled: boolean;
  totp_enabled: boolean;
  totp_required: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface AuditEntry {
  id: number;
  ts: string;
  actor_id: number | null;
  actor: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  /** Empty for actions made outside an HTTP request (the command line). */
  request_id: string | null;
  /** Extra facts about the action (e.g. the role given); not in docs/api.md yet, sent by the server. */
  details?: Record<string, unknown>;
  hash: string;
}

export interface ApiToken {
  id: number;
  name: string;
  scopes: TokenScope[];
  /** With scope intake.sms: the gateway kind; null for other tokens. */
  gateway: SmsGateway | null;
  created_at: string;
  expires_at: string;
  revoked: boolean;
  created_by: string;
}

// ---- GET /api/v1/meta
export interface Meta {
  name: string;
  version: string;
  demo: boolean;
}

// ---- POST /api/v1/auth/login
export interface LoginRequest {
  username: string;
  password: string;
  totp_code?: string;
}
export interface LoginResponse {
  user: User;
  csrf_token: string;
  enrolment_required: boolean;
  /** An administrator chose the password: the user must replace it before anything else. */
  password_change_required: boolean;
}

// ---- GET /api/v1/auth/me
export interface MeResponse {
  user: User;
  csrf_token: string;
  enrolment_required: boolean;
  password_change_required: boolean;
  permissions: Permission[];
  demo: boolean;
  vault_unlocked: boolean;
  /** End of the 15 minutes after the last proof of presence (sign-in or POST /auth/reauth), which
   *  opening identities needs; null when there was none. */
  verified_until: string | null;
}

// ---- POST /api/v1/auth/reauth: a fresh 2FA code, or the password for an account without 2FA.
export type ReauthRequest = { totp_code: string } | { password: string };

/** The proof that dangerous changes carry in their body (step-up): the actor's password and a
 *  fresh 2FA code (empty or absent for an account without 2FA). */
export interface StepUpProof {
  current_password: string;
  totp_code?: string;
}

// ---- POST /api/v1/auth/totp/enroll and /confirm
export interface TotpEnrollResponse {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
}
export interface TotpConfirmRequest {
  code: string;
}

// ---- POST /api/v1/auth/password
export interface ChangePasswordRequest {
  current_password: string;
  new_password: string;
}

// ---- GET /api/v1/roles
export interface Role {
  name: RoleName;
  totp_required: boolean;
}
export interface RolesResponse {
  roles: Role[];
}

// ---- /api/v1/users
export interface UsersResponse {
  users: User[];
}
export interface CreateUserRequest {
  username: string;
  display_name?: string;
  role: RoleName;
  password: string;
}
/** A role change, `password` and `reset_totp` need the step-up proof as well. */
export interface UpdateUserRequest extends Partial<StepUpProof> {
  display_name?: string;
  role?: RoleName;
  disabled?: boolean;
  reset_totp?: boolean;
  password?: string;
}
/** Answer of POST /users, PATCH /users/{id} and POST /auth/totp/confirm. */
export interface UserResponse {
  user: User;
}

// ---- GET /api/v1/audit
export interface AuditQuery {
  actor?: string;
  action?: string;
  object_type?: string;
  object_id?: string;
  /** ISO date, e.g. 2026-11-28 */
  from?: string;
  /** ISO date, e.g. 2026-11-28 */
  to?: string;
  before_id?: number;
  /** at most 500, default 100 */
  limit?: number;
}
export interface AuditPage {
  entries: AuditEntry[];
  next_before_id: number | null;
}

// ---- /api/v1/tokens
export interface TokensResponse {
  tokens: ApiToken[];
}
export interface CreateTokenRequest {
  name: string;
  scopes: TokenScope[];
  /** 1 to 730 */
  expires_in_days: number;
  /** Only with scope intake.sms; the server defaults to generic. */
  gateway?: SmsGateway;
}
export interface CreateTokenResponse {
  token: ApiToken;
  secret: string;
}

/** The minimum length of a password, enforced by the server (400 validation_failed, field password). */
export const MIN_PASSWORD_LENGTH = 12;

// ---- Action plan (module `plan`) and organisation units (module `units`)

/** Status of an activity, of a month of an activity, of an entry and of a goal in a report. */
export const ACTIVITY_STATUSES = [
  'not_started',
  'on_track',
  'at_risk',
  'delayed',
  'completed',
  'continuous',
  'cancelled',
] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const FREQUENCIES = ['none', 'weekly', 'biweekly', 'monthly', 'quarterly', 'biannual', 'per_event'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export type OccurrenceState = 'done' | 'due' | 'overdue' | 'upcoming';

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}
export interface FocalPoint {
  id: number;
  username: string;
  display_name: string;
}
export interface Unit extends UnitRef {
  aliases: string[];
  focal_points: FocalPoint[];
}

export interface PlanSummary {
  id: number;
  key: string;
  version: string;
  version_number: number;
  title: string;
  mission: string;
  /** Months as YYYY-MM. */
  period: { start: string; end: string };
  supersedes: string;
  imported_at: string;
  imported_by: string;
  /** The newest version of its key. */
  latest: boolean;
  /** Partner names of the plan file that matched no unit, as written. */
  unmatched_partners: string[];
}

/** Recurring activities only (weekly to bi-annual); null otherwise. */
export interface OccurrenceCounts {
  done: number;
  due: number;
  overdue: number;
  upcoming: number;
}

/** The pillars of every plan (docs/plan-format.md). */
export type PillarKey = 'prevention' | 'enforcement' | 'remedial_action';

export interface Activity {
  id: number;
  goal_id: number;
  letter: string;
  /** As the plan writes it; "[illegible]" marks a fragment the source does not let anyone read. */
  text: string;
  /** A pillar the activity serves besides its goal's, or null. */
  second_pillar: PillarKey | null;
  status: ActivityStatus;
  frequency: Frequency;
  /** 1 (January) to 12. */
  target_months: number[];
  lead_units: UnitRef[];
  support_units: UnitRef[];
  updated_at: string;
  /** Status of each month (YYYY-MM) with an entry, latest entry winning; empty when not computed. */
  months: Record<string, ActivityStatus>;
  occurrences: OccurrenceCounts | null;
}

export interface ExpectedResult {
  id: number;
  numeral: string;
  text: string;
  /** Indicator keys. */
  indicators: string[];
}

export interface Goal {
  id: number;
  number: number;
  title: string;
  references: string[];
  /** The partner cell as written in the plan. */
  partners: string;
  status_text: string;
  follow_up: string;
  months: number[];
  activities: Activity[];
  expected_results: ExpectedResult[];
}

export interface Pillar {
  id: number;
  key: string;
  title: string;
  objective: string;
  goals: Goal[];
}

/** GET /plans/{id}: the whole tree, with the months of the chosen year. */
export interface Plan extends PlanSummary {
  context: string;
  purpose: string;
  core_principles: { intro: string; items: string[] };
  reference_materials: string[];
  /** The months that fill Activity.months (YYYY-MM); sent by the server, not in docs/api.md. */
  months_from: string;
  months_to: string;
  pillars: Pillar[];
}

export interface PlansResponse {
  plans: PlanSummary[];
}
export interface VersionsResponse {
  versions: PlanSummary[];
}

export interface PlanChange {
  kind: 'added' | 'removed' | 'changed';
  /** e.g. prevention/1/a */
  path: string;
  /** Empty for added and removed items. */
  field: string;
  before: string;
  after: string;
}
export interface DiffResponse {
  changes: PlanChange[];
}

export interface Evidence {
  id: number;
  kind: 'file' | 'link';
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  /** /api/v1/evidence/{id} for a file, the address for a link. */
  url: string;
  /** Of a link; sent by the server, not in docs/api.md. */
  title?: string;
}

export interface Entry {
  id: number;
  activity_id: number;
  month: string;
  occurred_on: string | null;
  status: ActivityStatus;
  narrative: string;
  author: string;
  created_at: string;
  corrects: number | null;
  evidence: Evidence[];
}

export interface Occurrence {
  start: string;
  end: string;
  state: OccurrenceState;
  entry_ids: number[];
}

/** GET /activities/{id} */
export interface ActivityDetail {
  activity: Activity;
  goal: { id: number; number: number; title: string };
  pillar: { key: string; title: string };
  plan: PlanSummary;
  occurrences: Occurrence[];
  entries: Entry[];
}

export interface ActivityPatch {
  status?: ActivityStatus;
  frequency?: Frequency;
  target_months?: number[];
  lead_unit_ids?: number[];
  support_unit_ids?: number[];
}
export interface ActivityResponse {
  activity: Activity;
}

export interface EntryLink {
  url: string;
  title?: string;
}
export interface NewEntryRequest {
  month: string;
  occurred_on?: string;
  status: ActivityStatus;
  narrative: string;
  evidence_ids?: number[];
  links?: EntryLink[];
  corrects?: number;
}
export interface EntryResponse {
  entry: Entry;
}
export interface EvidenceResponse {
  evidence: Evidence;
}

export interface ActivityRow extends Activity {
  plan_id: number;
  goal_number: number;
  pillar_key: string;
}
/** GET /my/activities */
export interface MyActivities {
  units: UnitRef[];
  lead: ActivityRow[];
  support: ActivityRow[];
  due_this_month: ActivityRow[];
  overdue: ActivityRow[];
}

export interface IndicatorValue {
  value: number;
  date: string;
  note: string;
  entered_by: string;
}
export interface Indicator {
  key: string;
  description: string;
  unit: string;
  target: number | null;
  kind: 'manual' | 'computed';
  result_ids: number[];
  /** Values of a manual indicator in the period asked for; sent by the server, not in docs/api.md. */
  values?: IndicatorValue[];
  /** A computed indicator: {value, period: "computed"}; a manual one: its newest value. */
  latest: { value: number; period?: string; date?: string; entered_by?: string } | null;
}
export interface IndicatorsResponse {
  indicators: Indicator[];
}
export interface DefineIndicatorRequest {
  /** manual.* for a new manual indicator; the key of a computed one to link it to results. */
  key: string;
  description: string;
  unit?: string;
  /** A decimal number, as text. */
  target?: string;
  result_ids?: number[];
}
export interface IndicatorValueRequest {
  value: number;
  /** YYYY-MM-DD */
  date: string;
  note?: string;
}

export interface ReportActivity extends Activity {
  /** Entries of the period; only the latest comes with the JSON report (all are in CSV/XLSX). */
  entry_count: number;
  latest_entry: Entry | null;
  late: boolean;
  /** English sentences from the server, e.g. "no entry for target month 2018-03". */
  late_reasons: string[];
}
export interface ReportGoal {
  id: number;
  number: number;
  title: string;
  partners: string;
  status: ActivityStatus;
  expected_results: ExpectedResult[];
  activities: ReportActivity[];
}
export interface ReportPillar {
  key: string;
  title: string;
  goals: ReportGoal[];
}
/** GET /plans/{id}/report (format=json) */
export interface PlanReport {
  plan: PlanSummary;
  from: string;
  to: string;
  summary: { activities: number; by_status: Partial<Record<ActivityStatus, number>>; late: number; entries: number };
  pillars: ReportPillar[];
  indicators: Indicator[];
}

export interface UnitsResponse {
  units: Unit[];
}
export interface UnitResponse {
  unit: Unit;
}
export interface CreateUnitRequest {
  code: string;
  name: string;
  aliases?: string[];
}
export interface UpdateUnitRequest {
  name?: string;
  aliases?: string[];
  focal_point_ids?: number[];
}

/** The largest evidence file the server takes (POST /evidence answers 413 above it). */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

// ---- Complaint intake (module `intake`). The lists of these values, for forms and filters, are in
// lib/intake.ts: kept out of this module, which is part of the first load.

export type IntakeChannel =
  | 'hotline_4044'
  | 'hotline_4445'
  | 'email'
  | 'sms'
  | 'walk_in'
  | 'cbcm'
  | 'partner'
  | 'web'
  | 'other'
  | 'complaint_box'
  | 'community_liaison'
  | 'referral_oios_hq'
  | 'observation'
  | 'media';

export type ComplaintStatus =
  | 'new'
  | 'acknowledged'
  | 'assessing'
  | 'ready_for_case'
  | 'referred'
  | 'handed_over'
  | 'gbv_referral'
  | 'other_misconduct'
  | 'duplicate'
  | 'closed';
/** POST /intake/complaints/{id}/status; the other statuses come from the route. */
export type SettableComplaintStatus = 'acknowledged' | 'assessing';

export type ReporterRelation =
  | 'victim'
  | 'witness'
  | 'family'
  | 'community_member'
  | 'staff'
  | 'partner_organisation'
  | 'anonymous'
  | 'cbcm_member'
  | 'service_provider'
  | 'local_leader'
  | 'unknown';

export type ContactMethod =
  | 'none'
  | 'phone'
  | 'sms'
  | 'email'
  | 'in_person'
  | 'through_partner';

export type ReporterLanguage =
  | 'fr'
  | 'en'
  | 'sg'
  | 'other';

export type DatePrecision =
  | 'exact'
  | 'month'
  | 'approximate'
  | 'unknown';

export type AgeGroup =
  | 'minor'
  | 'adult'
  | 'unknown';

export type Sex =
  | 'female'
  | 'male'
  | 'other'
  | 'unknown';

export type PerpetratorCategory =
  | 'civilian_international'
  | 'civilian_national'
  | 'civilian_unv'
  | 'military_contingent'
  | 'military_observer'
  | 'police_individual'
  | 'police_fpu'
  | 'contractor'
  | 'implementing_partner'
  | 'non_un_forces'
  | 'military'
  | 'police'
  | 'civilian'
  | 'unknown'
  | 'un_agency'
  | 'consultant';

export type YesNoUnknown = 'yes' | 'no' | 'unknown';
export type SeaCategory = 'sexual_exploitation' | 'sexual_abuse';
export type PerpetratorAffiliation = 'mission' | 'un_entity' | 'implementing_partner' | 'not_un' | 'unknown';
export type ComplaintRoute = 'case' | 'handed_over' | 'gbv_referral' | 'other_misconduct' | 'closed';
export type CloseReason = 'insufficient_information' | 'withdrawn' | 'duplicate' | 'outside_mandate';

/** A victim in a request (name, pregnancy and child born are sealed) and in the clear half. */
export interface Victim {
  age?: number | null;
  age_group?: AgeGroup;
  sex?: Sex;
  referral_consent?: YesNoUnknown;
  name?: string;
  pregnant?: YesNoUnknown;
  child_born?: YesNoUnknown;
}
/** An alleged perpetrator; name and description are sealed, in requests only. */
export interface Perpetrator {
  category?: PerpetratorCategory;
  /** ISO 3166-1 alpha-2, or empty when unknown. */
  nationality?: string;
  unit?: string;
  rank?: string;
  identified?: YesNoUnknown;
  name?: string;
  description?: string;
}

/** POST /intake/complaints */
export interface ComplaintRequest {
  channel: IntakeChannel;
  /** ISO 8601; when the complaint was received (a CBCM notebook entry typed days later); not in the future. */
  received_at?: string;
  /** Which CBCM received it, for the channel cbcm. */
  cbcm_name?: string;
  site?: string;
  reporter_relation?: ReporterRelation;
  anonymous?: boolean;
  contact_consent?: boolean;
  contact_method?: ContactMethod;
  language?: ReporterLanguage;
  /** A prefecture code of the places list, and a sub-prefecture code of that prefecture. */
  prefecture?: string;
  sub_prefecture?: string;
  town?: string;
  incident_date_precision?: DatePrecision;
  /** YYYY-MM-DD, YYYY-MM or YYYY; empty when unknown. */
  incident_date?: string;
  risk_child?: boolean;
  risk_danger?: boolean;
  risk_medical?: boolean;
  reporter_name?: string;
  reporter_phone?: string;
  reporter_email?: string;
  reporter_address?: string;
  narrative: string;
  victims?: Victim[];
  perpetrators?: Perpetrator[];
}

/** The clear half of a complaint: nothing that identifies a person. */
export interface Complaint {
  id: number;
  /** e.g. C-2026-00001 */
  reference: string;
  channel: IntakeChannel | string;
  status: ComplaintStatus;
  received_at: string;
  entered_by: number | null;
  entered_by_username: string;
  reporter_relation: ReporterRelation;
  anonymous: boolean;
  contact_consent: boolean;
  contact_method: ContactMethod;
  language: ReporterLanguage;
  prefecture: string;
  sub_prefecture: string;
  town: string;
  incident_date_precision: DatePrecision;
  incident_date: string;
  victims: Victim[];
  perpetrators: Perpetrator[];
  risk_child: boolean;
  risk_danger: boolean;
  risk_medical: boolean;
  urgent: boolean;
  acknowledged_at: string | null;
  assigned_to: number | null;
  assigned_to_username: string;
  duplicate_of: number | null;
  message_count: number;
  unread_from_reporter: number;
  updated_at: string;
  cbcm_name: string;
  site: string;
  /** Derived by the server from the sub-prefecture through the places list. */
  field_office: string;
  assessment: ComplaintAssessment | null;
  routing: ComplaintRouting | null;
  /** The victim part reaches the VRA (a need flag, or routed case, handed_over or gbv_referral). */
  vra_visible: boolean;
}

export interface ComplaintAssessment {
  is_sea: boolean;
  category: SeaCategory | '';
  /** A code of the sea types list. */
  type: string;
  perpetrator_affiliation: PerpetratorAffiliation;
  perpetrator_identified: boolean;
  assessed_by_username: string;
  assessed_at: string;
}
export interface ComplaintRouting {
  route: ComplaintRoute;
  entity: string;
  /** YYYY-MM-DD or empty. */
  handed_over_on: string;
  acknowledged_on: string;
  acknowledgement: string;
  office: string;
  reason: CloseReason | '';
  routed_by_username: string;
  routed_at: string;
}
/** POST /intake/complaints/{id}/assessment */
export interface AssessmentRequest {
  is_sea: boolean;
  category?: SeaCategory;
  type?: string;
  perpetrator_affiliation: PerpetratorAffiliation;
  perpetrator_identified: boolean;
}
/** POST /intake/complaints/{id}/route */
export interface RouteRequest {
  route: ComplaintRoute;
  entity?: string;
  handed_over_on?: string;
  office?: string;
  reason?: CloseReason;
  duplicate_of?: number;
}
/** POST /intake/complaints/{id}/handover-acknowledged */
export interface HandoverAcknowledgedRequest {
  acknowledged_on: string;
  acknowledgement: string;
}
/** PATCH /intake/complaints/{id}: any subset; victims and perpetrators as whole lists. */
export type ComplaintPatch = Partial<
  Pick<
    ComplaintRequest,
    | 'received_at'
    | 'channel'
    | 'cbcm_name'
    | 'reporter_relation'
    | 'prefecture'
    | 'sub_prefecture'
    | 'town'
    | 'site'
    | 'incident_date_precision'
    | 'incident_date'
    | 'risk_child'
    | 'risk_danger'
    | 'risk_medical'
    | 'victims'
    | 'perpetrators'
    | 'reporter_name'
    | 'reporter_phone'
    | 'reporter_email'
    | 'reporter_address'
    | 'narrative'
  >
>;
export interface PatchedComplaint {
  complaint: Complaint;
  changed: string[];
}
/** One change of a complaint's facts; a sealed one has old/new only for a reader with identities open. */
export interface ComplaintChange {
  id: number;
  field: string;
  at: string;
  by_username: string;
  sealed: boolean;
  old: unknown;
  new: unknown;
}

export interface SubmittedComplaint {
  complaint: Complaint;
  /** XXXX-XXXX-XXXX-XXXX, shown once. */
  receipt_code: string;
}

export interface ComplaintsQuery {
  /** A status, `all`, or absent for the open ones. */
  status?: ComplaintStatus | 'all';
  urgent?: 'true';
  channel?: string;
  prefecture?: string;
  field_office?: string;
  sea_type?: string;
  route?: ComplaintRoute;
  /** A reference (C-2026-00042), its number, or part of the town. */
  q?: string;
  limit?: number;
  offset?: number;
}
export interface ComplaintList {
  complaints: Complaint[];
}

/** The sealed half, for readers whose vault key is unlocked. */
export interface ComplaintIdentifying {
  reporter_name: string;
  reporter_phone: string;
  reporter_email: string;
  reporter_address: string;
  narrative: string;
  /** In the order of Complaint.victims. */
  victim_names: string[];
  /** In the order of Complaint.perpetrators. */
  perpetrator_names: string[];
  perpetrator_descriptions: string[];
  /** Where, in the reporter's own words (the public form's town); sealed. */
  place_text: string;
  /** In the order of Complaint.victims. */
  victim_pregnant?: YesNoUnknown[];
  victim_child_born?: YesNoUnknown[];
}
export interface ComplaintMessage {
  id: number;
  from_reporter: boolean;
  author: string;
  created_at: string;
  /** Null when the reader's vault is locked. */
  text: string | null;
}
export interface ComplaintNote {
  id: number;
  author: string;
  created_at: string;
  text: string | null;
}
/** A file added to a complaint; `filename` only when identities are open. */
export interface ComplaintAttachment {
  id: number;
  content_type: string;
  size: number;
  sha256: string;
  created_at: string;
  added_by: string;
  filename: string | null;
}
/** GET /intake/complaints/{id} */
export interface ComplaintDetail {
  complaint: Complaint;
  can_read_identifying: boolean;
  identifying_open: boolean;
  /** A reader without a recent proof of presence: identities stay closed until POST /auth/reauth. */
  reauth_required: boolean;
  identifying: ComplaintIdentifying | null;
  messages: ComplaintMessage[];
  notes: ComplaintNote[];
  /** Ids of the complaints marked as duplicates of this one. */
  duplicates: number[];
  attachments: ComplaintAttachment[];
  /** Newest first. */
  history?: ComplaintChange[];
}

/** GET /intake/alerts */
export interface IntakeAlerts {
  unacknowledged_urgent: number;
  /** Changes of the intake readers the caller, a reader, has not seen (0 for anyone else). */
  reader_changes: number;
}
/** GET and PUT /intake/places: where an incident can be said to have happened. Codes (1-16 of
 *  A-Z, 0-9 and -) are unique: prefectures and sub-prefectures together, field offices among
 *  themselves, sites among themselves; a complaint keeps the codes it was given. */
export interface PlaceSubPrefecture {
  code: string;
  name: string;
  /** The code of the MINUSCA field office it belongs to (one of `field_offices`); "" for none.
   *  Optional in a PUT, always in a response. */
  field_office?: string;
  towns: string[];
}
export interface PlacePrefecture {
  code: string;
  name: string;
  /** OCHA admin1 P-code ("CF11"); absent when not known. */
  pcode?: string;
  sub_prefectures: PlaceSubPrefecture[];
}
export interface PlaceFieldOffice {
  code: string;
  name: string;
}
export type SiteType = 'mission_camp_or_base' | 'idp_site' | 'other';
export const SITE_TYPES: readonly SiteType[] = ['mission_camp_or_base', 'idp_site', 'other'];
/** A named site (a camp or base, an IDP site) a complaint's `site` names by its code. */
export interface PlaceSite {
  code: string;
  name: string;
  type: SiteType;
  /** A sub-prefecture code of the list. */
  sub_prefecture: string;
}
export interface Places {
  prefectures: PlacePrefecture[];
  /** Optional in a PUT (none when absent, as old clients send it); always in a response. */
  field_offices?: PlaceFieldOffice[];
  sites?: PlaceSite[];
}
/** Who added a reader or made a change: a user name, or `console`, `upgrade` or `accounts`. */
export type ReaderChangeActor = string;
export interface IntakeReader {
  user_id: number;
  username: string;
  display_name: string;
  role: RoleName;
  added_by: ReaderChangeActor;
  added_at: string;
}
/** An active CDT chief or officer who is not a reader yet. */
export interface EligibleReader {
  user_id: number;
  username: string;
  display_name: string;
  role: RoleName;
}
export type ReaderAccessEndReason = 'role_changed' | 'disabled' | 'password_reset' | 'totp_reset';
export interface ReaderChange {
  id: number;
  change: 'added' | 'removed' | 'access_ended';
  user_id: number;
  username: string;
  by: ReaderChangeActor;
  /** For access_ended; empty otherwise. */
  reason: ReaderAccessEndReason | '' | (string & {});
  at: string;
}
/** GET /intake/readers: the readers, who may become one, and the recent changes. */
export interface IntakeReaders {
  readers: IntakeReader[];
  eligible: EligibleReader[];
  changes: ReaderChange[];
  unseen_changes: number;
  you_are_reader: boolean;
}
/** POST /intake/readers and /intake/readers/remove */
export interface ReaderChangeRequest extends StepUpProof {
  user_id: number;
  /** Absent for the intake readers. */
  scope?: 'victims';
}

/** GET /intake/readers?scope=… */
export type ReaderScope = 'intake' | 'victims';

export interface SeaType {
  code: string;
  label_en: string;
  label_fr: string;
  active: boolean;
}
/** GET /intake/vocabularies */
export interface IntakeVocabularies {
  channels: string[];
  statuses: string[];
  reporter_relations: string[];
  personnel_categories: string[];
  sea_categories: string[];
  sea_types: SeaType[];
  perpetrator_affiliations: string[];
  routes: string[];
  close_reasons: string[];
  /** ISO 3166-1 alpha-2. */
  countries: string[];
}
/** GET /intake/assignees: active CDT chiefs and officers. */
export interface Assignee {
  user_id: number;
  username: string;
  display_name: string;
  role: RoleName;
}

/** The part of a complaint the Victims' Rights Advocate sees. */
export interface VictimPart {
  id: number;
  reference: string;
  received_at: string;
  status: ComplaintStatus;
  urgent: boolean;
  risk_child: boolean;
  risk_danger: boolean;
  risk_medical: boolean;
  prefecture: string;
  sub_prefecture: string;
  field_office: string;
  town: string;
  incident_date: string;
  incident_date_precision: DatePrecision;
  victims: { age: number | null; age_group: AgeGroup; sex: Sex; referral_consent: YesNoUnknown }[];
  reporter_is_victim: boolean;
  route: ComplaintRoute | '';
  assessment_category: SeaCategory | '';
  assessment_type: string;
}
export interface VictimPartDetail {
  victim_part: VictimPart;
  can_read: boolean;
  open: boolean;
  reauth_required: boolean;
  identifying: {
    victim_names: string[];
    victim_pregnant: YesNoUnknown[];
    victim_child_born: YesNoUnknown[];
    reporter_name: string;
    reporter_phone: string;
    reporter_email: string;
    reporter_address: string;
    contact_method: ContactMethod | '';
    contact_consent: boolean;
  } | null;
}

/** One bar of the figures; leadership sees counts of 1-4 as null with fewer_than_5. */
export interface FigureItem {
  key: string;
  count: number | null;
  fewer_than_5?: boolean;
}
export interface FigureTargets {
  urgent_hours: number;
  other_hours: number;
}
/** GET /intake/figures?from=YYYY-MM&to=YYYY-MM */
export interface IntakeFigures {
  from: string;
  to: string;
  suppressed: boolean;
  total: number | null;
  by_month: FigureItem[];
  by_channel: FigureItem[];
  by_prefecture: FigureItem[];
  by_field_office: FigureItem[];
  by_category: FigureItem[];
  by_type: FigureItem[];
  acknowledgement: {
    median_hours: number | null;
    p90_hours: number | null;
    within_target: number | null;
    count: number | null;
    share_within_target: number | null;
  };
  assessment: { median_hours: number | null; p90_hours: number | null; count: number | null };
  targets: FigureTargets;
}

// ---- Retention (docs/api.md "Retention"; server/modules/retention/model.h)

export const RETENTION_KINDS = ['complaints_not_sea', 'complaints_closed', 'cases_closed', 'quarantine', 'sessions', 'audit'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** GET /retention/policies, PUT /retention/policies/{kind}. */
export interface RetentionPolicy {
  kind: RetentionKind;
  enabled: boolean;
  after_days: number;
  min_days: number;
  max_days: number;
  default_enabled: boolean;
  default_days: number;
  /** null: the shipped default, never changed. */
  updated_at: string | null;
  updated_by: string;
}

/** One kind in GET /retention/preview (a dry run). */
export interface RetentionKindReport {
  kind: RetentionKind;
  enabled: boolean;
  after_days: number;
  cutoff: string | null;
  count: number;
  /** Complaint kinds and cases_closed only (case ids for cases_closed). */
  ids?: number[];
  held?: number[];
  kept_for_duplicates?: number[];
}

export interface RetentionReport {
  dry_run: boolean;
  as_of: string;
  kinds: RetentionKindReport[];
  vault_items: number;
  files: number;
}

/** GET/POST /retention/holds. */
export interface RetentionHold {
  id: number;
  object_type: 'complaint' | 'case';
  object_id: number;
  reason: string;
  placed_by: string;
  placed_at: string;
  active: boolean;
  lifted_at: string | null;
  lifted_by: string;
  lift_reason: string;
}

// ---- Cases (docs/api.md "Cases"; server/modules/cases/model.h, handlers.cc, clock.h)

export const CASE_STATUSES = [
  'received',
  'under_assessment',
  'not_sea',
  'closed_without_investigation',
  'referred_for_investigation',
  'under_investigation',
  'report_received',
  'under_review',
  'action_pending',
  'closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** A case's incident date: exact YYYY-MM-DD, month YYYY-MM, year YYYY, unknown "". */
export const CASE_DATE_PRECISIONS = ['exact', 'month', 'year', 'unknown'] as const;
export type CaseDatePrecision = (typeof CASE_DATE_PRECISIONS)[number];
export const CASE_CATEGORIES = ['sexual_exploitation', 'sexual_abuse'] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];
export const CASE_TYPES = [
  'rape',
  'sexual_assault',
  'sexual_activity_minor',
  'transactional_sex',
  'exploitative_relationship',
  'solicitation_transactional_sex',
  'other',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const INVESTIGATING_ENTITIES = ['oios', 'tcc_nio', 'pcc', 'mission_siu', 'joint'] as const;
export type InvestigatingEntity = (typeof INVESTIGATING_ENTITIES)[number];
export const CASE_OUTCOMES = ['substantiated', 'not_substantiated', 'closed_other'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export const CASE_ENTRY_KINDS = ['member_state', 'interim_measure', 'action'] as const;
export type CaseEntryKind = (typeof CASE_ENTRY_KINDS)[number];
/** The types each entry kind takes (model.cc EntryTypesOf). */
export const CASE_ENTRY_TYPES: Record<CaseEntryKind, readonly string[]> = {
  member_state: ['notification', 'answer_will_investigate', 'answer_will_not_investigate', 'nio_appointed', 'follow_up'],
  interim_measure: [
    'payment_suspension',
    'administrative_leave',
    'repatriation_pending_investigation',
    'restriction_of_movement',
    'other',
  ],
  action: [
    'written_censure',
    'loss_of_steps',
    'deferment_of_increment',
    'suspension_without_pay',
    'fine',
    'deferment_of_promotion',
    'demotion',
    'separation',
    'dismissal',
    'repatriation_disciplinary',
    'ban_from_operations',
    'national_sanction',
    'imprisonment',
    'referral_national_authorities',
    'amount_withheld',
    'trust_fund_transfer',
    'other',
  ],
};
export const CASE_RULES = [
  'acknowledgement',
  'assessment_referral',
  'member_state_notification',
  'nio_appointment',
  'investigation_completion',
  'investigation_completion_urgent',
  'report_review',
  'victim_information',
] as const;
export type CaseRule = (typeof CASE_RULES)[number] | (string & {});
export type CaseClockState = 'not_started' | 'running' | 'paused' | 'met_on_time' | 'met_late' | 'overdue';
/** full: a cases reader or an assigned officer; victims: the VRA; investigation: the entity's investigator. */
export type CaseAccessLevel = 'full' | 'victims' | 'investigation' | 'none';

/** A row of GET /cases (the clear facts, without lists). */
export interface CaseSummary {
  id: number;
  reference: string;
  mission: string;
  date_reported: string;
  incident_date_precision: CaseDatePrecision;
  incident_date: string;
  location: string;
  category: CaseCategory | '';
  type: CaseType | '';
  risk_child: boolean;
  risk_violence: boolean;
  risk_ongoing: boolean;
  urgent: boolean;
  paternity_claim: boolean;
  investigating_entity: InvestigatingEntity | '';
  status: CaseStatus;
  status_date: string;
  outcome: CaseOutcome | '';
  closure_reason: string;
  version: number;
  created_at: string;
  updated_at: string;
  access: CaseAccessLevel;
  can_reveal: boolean;
  /** In a list row once the server sends them (the list then shows them; until then the
   *  column is left out). */
  victims_count?: number;
  subjects_count?: number;
  /** List rows: the assigned officers (full access only). */
  officer_usernames?: string[];
  /** List rows: the case's first item in the due view of the year ahead (overdue first). */
  next_due?: CaseDueItem | null;
}

export interface CaseVictim {
  id: number;
  pseudonym: string;
  sex: Sex;
  age_group: AgeGroup;
  age: number | null;
  child_born: YesNoUnknown;
}
export interface CaseSubject {
  id: number;
  personnel_category: PerpetratorCategory;
  nationality: string;
  unit: string;
  rank: string;
  identified: boolean;
  other_cases: number;
}
export interface CaseOfficer {
  user_id: number;
  username: string;
  assigned_at: string;
}
export interface CaseEntry {
  id: number;
  kind: CaseEntryKind;
  type: string;
  date: string;
  end_date: string;
  note: string;
  amount: string;
  by: string;
  created_at: string;
}
export interface CaseEvent {
  id: number;
  at: string;
  by: string;
  kind: string;
  from_status: string;
  to_status: string;
  reason: string;
  date: string;
}
export interface CaseClock {
  rule: CaseRule;
  state: CaseClockState;
  started_at: string | null;
  due_at: string | null;
  stopped_at: string | null;
  paused_seconds: number;
  /** 0: due today; negative: days overdue; null: no due date. */
  days_left: number | null;
  recurring: boolean;
  last_met_at: string | null;
  periods_met: number;
  periods_late: number;
}
export interface CasePause {
  id: number;
  rule: CaseRule | 'all';
  start: string;
  end: string | null;
  reason: string;
  by: string;
  ended_by: string;
}
/** GET /cases/{id} and every change: `{case}`. */
export interface CaseDetail extends CaseSummary {
  complaints: { id: number; reference: string }[];
  victims: CaseVictim[];
  subjects: CaseSubject[];
  officers: CaseOfficer[];
  /** The Victims' Rights Advocates linked to the case: they see it (POST /cases/{id}/advocates). */
  advocates?: { user_id: number; username: string; linked_at: string }[];
  entries: CaseEntry[];
  timeline: CaseEvent[];
  clocks: CaseClock[];
  clock_pauses: CasePause[];
}
export interface CaseResponse {
  case: CaseDetail;
}
/** GET /cases query: the list filters (sent as they are; a server without them lists every case). */
export interface CasesQuery {
  status?: string;
  type?: string;
  urgent?: boolean;
  overdue?: boolean;
  mine?: boolean;
  q?: string;
}
export interface CaseDueItem {
  /** A string in this answer (the clock engine's id), unlike the cases' own numeric ids. */
  case_id: string;
  reference: string;
  rule: CaseRule;
  state: CaseClockState;
  due_at: string;
  days_left: number;
  /** Usernames of the assigned officers (full access only). */
  assignee_ids: string[];
}
/** GET /cases/due: one page of the view (50 by default, at most 200), most late first. */
export interface CaseDuePage {
  items: CaseDueItem[];
  /** Items in the whole view, and how many of them are overdue (they come first). */
  total: number;
  overdue: number;
  limit: number;
  offset: number;
}
export interface NewCaseRequest {
  complaints: number[];
  date_reported?: string;
  incident_date_precision?: CaseDatePrecision;
  incident_date?: string;
  location?: string;
  category?: CaseCategory;
  type?: CaseType;
  risk_ongoing?: boolean;
}
export interface CasePatchRequest {
  version: number;
  date_reported?: string;
  incident_date_precision?: CaseDatePrecision;
  incident_date?: string;
  location?: string;
  category?: CaseCategory;
  type?: CaseType;
  risk_child?: boolean;
  risk_violence?: boolean;
  risk_ongoing?: boolean;
  paternity_claim?: boolean;
}
export interface CaseTransitionRequest {
  status: CaseStatus;
  version: number;
  reason?: string;
  entity?: InvestigatingEntity;
  outcome?: CaseOutcome;
  date?: string;
}
export interface NewCaseVictimRequest {
  pseudonym: string;
  sex?: Sex;
  age_group?: AgeGroup;
  age?: number;
  child_born?: YesNoUnknown;
  name?: string;
  contacts?: string;
  address?: string;
}
export interface NewCaseSubjectRequest {
  personnel_category: string;
  nationality?: string;
  unit?: string;
  rank?: string;
  name?: string;
  description?: string;
}
export interface NewCaseEntryRequest {
  kind: CaseEntryKind;
  type: string;
  date: string;
  end_date?: string;
  note?: string;
  amount?: string;
}
export interface CasePauseRequest {
  reason: string;
  rule?: CaseRule | 'all';
  start?: string;
}
export interface CaseVictimIdentity {
  name: string;
  contacts: string;
  address: string;
}
export interface CaseSubjectIdentity {
  name: string;
  description: string;
}
/** GET /case-readers. */
export interface CaseReaders {
  readers: { user_id: number; added_by: string; added_at: string }[];
  eligible: { user_id: number; username: string; display_name: string; role: string }[];
}

// ---- Cases: victim contacts, the bi-weekly review (docs/api.md "Victim contacts, the review,
// reminders and the reporter's step")

export const CONTACT_CHANNELS = ['in_person', 'phone', 'vra', 'partner', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** GET/POST /cases/{id}/victims/{victim_id}/contacts. */
export interface VictimContact {
  id: number;
  case_id: number;
  victim_id: number;
  date: string;
  channel: ContactChannel;
  has_note: boolean;
  /** Sealed: null unless the caller's key is unlocked and 2FA is recent. */
  note: string | null;
  by: string;
  created_at: string;
}

export interface VictimContactList {
  contacts: VictimContact[];
  notes_open: boolean;
  reauth_required: boolean;
}

export interface NewVictimContact {
  date: string;
  channel: ContactChannel;
  note?: string;
}

/** GET/POST /cases/{id}/review-decisions. */
export interface CaseReviewDecision {
  id: number;
  case_id: number;
  meeting_date: string;
  decision: string;
  action_owner: string;
  due_date: string;
  by: string;
  created_at: string;
}

export interface NewCaseReviewDecision {
  meeting_date: string;
  decision: string;
  action_owner?: string;
  due_date?: string;
}

/** GET /cases/review: one pending case. */
export interface CaseReviewRow {
  case_id: number;
  reference: string;
  status: string;
  status_date: string;
  date_reported: string;
  investigating_entity: string;
  age_days: number;
  last_activity_at: string | null;
  days_since_activity: number | null;
  next_due: { rule: string; due_at: string } | null;
  officers: string[];
  last_decision: CaseReviewDecision | null;
}

/** GET /cases/due (the count of the caller's reminders). */

// ---- Case figures, the UN public-table export and extracts (GET /cases/figures,
// GET /cases/export, POST /cases/{id}/extract). A count is a number, or "<N" when small
// numbers are suppressed (suppress_below=N).

export type SuppressedCount = number | string;

export interface CaseFigureRow {
  key: string;
  allegations: SuppressedCount;
  per_subject: SuppressedCount;
}

export interface CaseTimelineShare {
  rule: string;
  met_on_time: SuppressedCount;
  met_late: SuppressedCount;
  overdue: SuppressedCount;
  open: SuppressedCount;
  on_time_pct: number | null;
}

export interface CaseFigures {
  from: string;
  to: string;
  suppress_below: number;
  totals: { allegations: SuppressedCount; per_subject: SuppressedCount; victims: SuppressedCount };
  by_month: CaseFigureRow[];
  by_category: CaseFigureRow[];
  by_type: CaseFigureRow[];
  by_personnel_category: CaseFigureRow[];
  by_nationality: CaseFigureRow[];
  by_status: CaseFigureRow[];
  victims: { sex: string; age_group: string; count: SuppressedCount }[];
  victims_by_sex: { key: string; count: SuppressedCount }[];
  victims_by_age_group: { key: string; count: SuppressedCount }[];
  investigations: {
    completed: SuppressedCount;
    open: SuppressedCount;
    median_days: number | null;
    p90_days: number | null;
    buckets: { key: string; count: SuppressedCount }[];
  };
  investigations_within_timeline: CaseTimelineShare;
  timelines: CaseTimelineShare[];
}

export interface CaseExtractRecord {
  id: number;
  case_id: number;
  recipient: string;
  purpose: string;
  by: string;
  at: string;
}

export interface CaseExtract {
  extract: CaseExtractRecord;
  case: {
    reference: string;
    mission: string;
    date_reported: string;
    incident_date_precision: string;
    incident_date: string;
    location: string;
    category: string;
    type: string;
    urgent: boolean;
    paternity_claim: boolean;
    investigating_entity: string;
    status: string;
    status_date: string;
    outcome: string;
    victims: { pseudonym: string; sex: string; age_group: string }[];
    subjects: { personnel_category: string; nationality: string; unit: string }[];
    timeline: { kind: string; date: string; from_status: string; to_status: string }[];
    entries: { kind: string; type: string; date: string; end_date: string }[];
  };
}
