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
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** Permissions reported by GET /auth/me. Later modules add their own, hence the open string. */
export type Permission = 'users.manage' | 'audit.read' | 'tokens.manage' | (string & {});

export const TOKEN_SCOPES = ['intake.sms', 'intake.partner', 'metrics.read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

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
}

// ---- GET /api/v1/auth/me
export interface MeResponse {
  user: User;
  csrf_token: string;
  enrolment_required: boolean;
  permissions: Permission[];
  demo: boolean;
  vault_unlocked: boolean;
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
export interface UpdateUserRequest {
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
}
export interface CreateTokenResponse {
  token: ApiToken;
  secret: string;
}

/** The minimum length of a password, enforced by the server (400 validation_failed, field password). */
export const MIN_PASSWORD_LENGTH = 12;
