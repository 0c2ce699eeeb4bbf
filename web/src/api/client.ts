// The one way the web app talks to the server: fetch on the same origin, JSON in and out,
// the session cookie (HttpOnly, so never seen here) plus the CSRF token on state changes,
// and every failure turned into an ApiError carrying the server's error code.

import type {
  AuditPage,
  AuditQuery,
  ChangePasswordRequest,
  CreateTokenRequest,
  CreateTokenResponse,
  CreateUserRequest,
  ErrorBody,
  ErrorCode,
  LoginRequest,
  LoginResponse,
  MeResponse,
  Meta,
  RolesResponse,
  TokensResponse,
  TotpEnrollResponse,
  UpdateUserRequest,
  UserResponse,
  UsersResponse,
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
type QueryValue = string | number | undefined | null;

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
  const error = body?.error;
  const code = isKnownCode(error?.code) ? error.code : codeForStatus(response.status);
  const message = typeof error?.message === 'string' ? error.message : response.statusText;
  const field = typeof error?.field === 'string' && error.field ? error.field : null;
  return new ApiError(response.status, code, message, field, retryAfter);
}

async function request<T>(
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
    if (error.code === 'unauthenticated' || error.code === 'enrolment_required') {
      authFailureHandler?.(error.code);
    }
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Same filters as `api.audit`, as a URL the browser downloads (GET: no CSRF token needed). */
export function auditCsvUrl(query: AuditQuery): string {
  const { before_id: _beforeId, limit: _limit, ...filters } = query;
  return `${API_BASE}/audit${buildQuery({ ...filters, format: 'csv' })}`;
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
};
