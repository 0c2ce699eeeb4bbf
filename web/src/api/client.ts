// The one way the web app talks to the server: fetch on the same origin, JSON in and out,
// the session cookie (HttpOnly, so never seen here) plus the CSRF token on state changes,
// and every failure turned into an ApiError carrying the server's error code.

import type {
  ActivityDetail,
  ActivityPatch,
  ActivityResponse,
  AuditPage,
  AuditQuery,
  ChangePasswordRequest,
  CreateTokenRequest,
  CreateTokenResponse,
  CreateUnitRequest,
  CreateUserRequest,
  DefineIndicatorRequest,
  DiffResponse,
  EntryResponse,
  ErrorBody,
  ErrorCode,
  Evidence,
  EvidenceResponse,
  IndicatorsResponse,
  IntakeAlerts,
  IndicatorValueRequest,
  LoginRequest,
  LoginResponse,
  MeResponse,
  Meta,
  MyActivities,
  NewEntryRequest,
  Plan,
  PlanReport,
  ReauthRequest,
  PlansResponse,
  RolesResponse,
  TokensResponse,
  TotpEnrollResponse,
  UnitResponse,
  UnitsResponse,
  UpdateUnitRequest,
  UpdateUserRequest,
  UserResponse,
  UsersResponse,
  VersionsResponse,
} from './types';
import { ERROR_CODES } from './types';

const API_BASE = '/api/v1';

/** Codes the client can see: the server's, plus `network` when no answer came at all. */
export type ClientErrorCode = ErrorCode | 'network';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    /** The request field the server blamed (e.g. `password`), if any. */
    readonly field: string | null = null,
    /** From the Retry-After header of a 429, in seconds. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What the app does when the session is gone or must first enrol in 2FA. */
export type AuthFailureHandler = (code: 'unauthenticated' | 'enrolment_required') => void;

// The CSRF token lives in memory only: after a reload it comes back from GET /auth/me.
let csrfToken: string | null = null;
let authFailureHandler: AuthFailureHandler | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onAuthFailure(handler: AuthFailureHandler | null): void {
  authFailureHandler = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type QueryValue = string | number | undefined | null;

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function reportAuthFailure(error: ApiError): void {
  if (error.code === 'unauthenticated' || error.code === 'enrolment_required') {
    authFailureHandler?.(error.code);
  }
}

function isKnownCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** A code for answers that did not carry the JSON error shape (a proxy's 502, say). */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'validation_failed';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 405: return 'method_not_allowed';
    case 409: return 'conflict';
    case 413: return 'payload_too_large';
    case 415: return 'unsupported_media_type';
    case 422: return 'unprocessable';
    case 429: return 'rate_limited';
    case 502:
    case 503:
    case 504: return 'unavailable';
    default: return 'internal';
  }
}

function errorFromBody(status: number, body: Partial<ErrorBody> | null, statusText: string, retryAfter: number | null): ApiError {
  const error = body?.error;
  const code = isKnownCode(error?.code) ? error.code : codeForStatus(status);
  const message = typeof error?.message === 'string' ? error.message : statusText;
  const field = typeof error?.field === 'string' && error.field ? error.field : null;
  return new ApiError(status, code, message, field, retryAfter);
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header); // the HTTP-date form
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: Partial<ErrorBody> | null = null;
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    body = null;
  }
  return errorFromBody(response.status, body, response.statusText, retryAfter);
}

/**
 * One request to the API. Exported for the clients of lazily loaded modules (api/intake.ts),
 * whose calls would otherwise weigh on the first page.
 */
export async function request<T>(
  method: Method,
  path: string,
  options: { body?: unknown; query?: Record<string, QueryValue> } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(API_BASE + path + buildQuery(options.query), {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error');
  }

  if (!response.ok) {
    const error = await toApiError(response);
    reportAuthFailure(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * A file the server sends as a download (GET), fetched rather than followed as a link so that
 * a refusal (403 `reauth_required`, say) comes back as an ApiError instead of a page of JSON.
 * The name is the server's Content-Disposition one, when it gives one.
 */
export async function downloadBlob(path: string): Promise<{ blob: Blob; filename: string | null }> {
  let response: Response;
  try {
    response = await fetch(API_BASE + path, { credentials: 'same-origin', cache: 'no-store' });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    reportAuthFailure(error);
    throw error;
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="([^"]*)"/i.exec(disposition);
  let filename: string | null = plain?.[1] ?? null;
  if (encoded?.[1]) {
    try {
      filename = decodeURIComponent(encoded[1]);
    } catch {
      // Keep the plain form.
    }
  }
  return { blob: await response.blob(), filename };
}

/** Same filters as `api.audit`, as a URL the browser downloads (GET: no CSRF token needed). */
export function auditCsvUrl(query: AuditQuery): string {
  const { before_id: _beforeId, limit: _limit, ...filters } = query;
  return `${API_BASE}/audit${buildQuery({ ...filters, format: 'csv' })}`;
}

/**
 * A plan's progress report as a file to download (GET: no CSRF token needed). The workbook's
 * headings and statuses are in `lang`, the app's language.
 */
export function reportFileUrl(
  planId: number,
  format: 'csv' | 'xlsx',
  from: string,
  to: string,
  lang?: 'en' | 'fr',
): string {
  const query = format === 'xlsx' ? { from, to, format, lang } : { from, to, format };
  return `${API_BASE}/plans/${encodeURIComponent(planId)}/report${buildQuery(query)}`;
}

/**
 * POST /evidence: the file itself as the body, its name percent-encoded in X-Filename. Uses
 * XMLHttpRequest (not fetch) for the upload progress; `onProgress` gets a fraction from 0 to 1.
 */
export function uploadEvidence(file: File, onProgress?: (fraction: number) => void): Promise<Evidence> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}/evidence`);
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('X-Filename', encodeURIComponent(file.name));
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.onabort = () => reject(new ApiError(0, 'network', 'aborted'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === 'object' && 'evidence' in body) {
        onProgress?.(1);
        resolve((body as EvidenceResponse).evidence);
        return;
      }
      const error = errorFromBody(
        xhr.status,
        body as Partial<ErrorBody> | null,
        xhr.statusText,
        parseRetryAfter(xhr.getResponseHeader('Retry-After')),
      );
      reportAuthFailure(error);
      reject(error);
    };
    xhr.send(file);
  });
}

export const api = {
  meta: () => request<Meta>('GET', '/meta'),

  async login(credentials: LoginRequest): Promise<LoginResponse> {
    const answer = await request<LoginResponse>('POST', '/auth/login', { body: credentials });
    setCsrfToken(answer.csrf_token);
    return answer;
  },
  async logout(): Promise<void> {
    try {
      await request<void>('POST', '/auth/logout');
    } finally {
      setCsrfToken(null);
    }
  },
  async me(): Promise<MeResponse> {
    const answer = await request<MeResponse>('GET', '/auth/me');
    setCsrfToken(answer.csrf_token);
    return answer;
  },
  enrollTotp: () => request<TotpEnrollResponse>('POST', '/auth/totp/enroll', { body: {} }),
  confirmTotp: (code: string) =>
    request<UserResponse>('POST', '/auth/totp/confirm', { body: { code } }),
  changePassword: (change: ChangePasswordRequest) =>
    request<void>('POST', '/auth/password', { body: change }),
  /** A fresh proof of presence: opening identities works for the next 15 minutes. 401
   *  `totp_invalid`/`totp_required` (field totp_code) or `invalid_credentials` (field password)
   *  do not end the session. */
  reauth: (proof: ReauthRequest) => request<void>('POST', '/auth/reauth', { body: proof }),
  /** Opens the session's vault key again after a server restart. */
  unlock: (password: string) => request<void>('POST', '/auth/unlock', { body: { password } }),

  roles: () => request<RolesResponse>('GET', '/roles'),
  users: () => request<UsersResponse>('GET', '/users'),
  createUser: (user: CreateUserRequest) => request<UserResponse>('POST', '/users', { body: user }),
  updateUser: (id: number, change: UpdateUserRequest) =>
    request<UserResponse>('PATCH', `/users/${encodeURIComponent(id)}`, { body: change }),

  audit: (query: AuditQuery) =>
    request<AuditPage>('GET', '/audit', { query: query as Record<string, QueryValue> }),

  tokens: () => request<TokensResponse>('GET', '/tokens'),
  createToken: (token: CreateTokenRequest) =>
    request<CreateTokenResponse>('POST', '/tokens', { body: token }),
  revokeToken: (id: number) => request<void>('DELETE', `/tokens/${encodeURIComponent(id)}`),

  units: () => request<UnitsResponse>('GET', '/units'),
  createUnit: (unit: CreateUnitRequest) => request<UnitResponse>('POST', '/units', { body: unit }),
  updateUnit: (id: number, change: UpdateUnitRequest) =>
    request<UnitResponse>('PATCH', `/units/${encodeURIComponent(id)}`, { body: change }),

  plans: () => request<PlansResponse>('GET', '/plans'),
  plan: (id: number, year?: number) =>
    request<Plan>('GET', `/plans/${encodeURIComponent(id)}`, { query: { year } }),
  planVersions: (id: number) => request<VersionsResponse>('GET', `/plans/${encodeURIComponent(id)}/versions`),
  planDiff: (id: number, against: number) =>
    request<DiffResponse>('GET', `/plans/${encodeURIComponent(id)}/diff`, { query: { against } }),
  planReport: (id: number, from: string, to: string) =>
    request<PlanReport>('GET', `/plans/${encodeURIComponent(id)}/report`, { query: { from, to, format: 'json' } }),

  activity: (id: number) => request<ActivityDetail>('GET', `/activities/${encodeURIComponent(id)}`),
  updateActivity: (id: number, change: ActivityPatch) =>
    request<ActivityResponse>('PATCH', `/activities/${encodeURIComponent(id)}`, { body: change }),
  addEntry: (activityId: number, entry: NewEntryRequest) =>
    request<EntryResponse>('POST', `/activities/${encodeURIComponent(activityId)}/entries`, { body: entry }),

  /** The navigation's badge; the rest of the intake calls are in api/intake.ts. */
  intakeAlerts: () => request<IntakeAlerts>('GET', '/intake/alerts'),

  myActivities: () => request<MyActivities>('GET', '/my/activities'),

  indicators: (query: { plan_id?: number; from?: string; to?: string }) =>
    request<IndicatorsResponse>('GET', '/indicators', { query }),
  defineIndicator: (definition: DefineIndicatorRequest) =>
    request<{ key: string }>('POST', '/indicators', { body: definition }),
  addIndicatorValue: (key: string, value: IndicatorValueRequest) =>
    request<{ key: string; date: string }>('POST', `/indicators/${encodeURIComponent(key)}/values`, { body: value }),
};

/**
 * POST of a file as the raw body, its name percent-encoded in X-Filename (the case evidence
 * files, api/evidence.ts). JSON back, errors as ApiError like `request`.
 */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': file.type || 'application/octet-stream',
    'X-Filename': encodeURIComponent(file.name),
  };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(API_BASE + path, { method: 'POST', headers, credentials: 'same-origin', cache: 'no-store', body: file });
  } catch (cause) {
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    reportAuthFailure(error);
    throw error;
  }
  return (await response.json()) as T;
}
