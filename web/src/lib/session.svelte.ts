// Who is logged in, what they may do, and whether the server is a demo. The views read this
// state; only the functions here change it.

import { api, onAuthFailure, type ApiError } from '../api/client';
import type { LoginResponse, MeResponse, Meta, Permission } from '../api/types';
import { mayOpen, matchRoute } from './routes';
import { navigate, route } from './router.svelte';

type Status = 'loading' | 'anonymous' | 'signed_in' | 'unreachable';

export const session = $state<{
  status: Status;
  me: MeResponse | null;
  meta: Meta | null;
  /** A key of the i18n catalog to show on the login page (e.g. after the session expired). */
  notice: 'app.sessionExpired' | 'app.loggedOut' | null;
  startupError: ApiError | null;
}>({ status: 'loading', me: null, meta: null, notice: null, startupError: null });

export function isDemo(): boolean {
  return session.me?.demo ?? session.meta?.demo ?? false;
}

export function can(permission: Permission): boolean {
  return session.me?.permissions.includes(permission) ?? false;
}

function becomeAnonymous(notice: typeof session.notice): void {
  const wasSignedIn = session.me !== null;
  session.me = null;
  session.status = 'anonymous';
  session.notice = wasSignedIn ? notice : null;
  if (route.path !== '/login') {
    const next = route.path === '/' || route.path === '/enrol' ? '' : `?next=${encodeURIComponent(route.path)}`;
    navigate(`/login${next}`, { replace: true });
  }
}

/** Reads /auth/me; a 401 leaves the session anonymous. */
export async function refreshMe(): Promise<void> {
  try {
    session.me = await api.me();
    session.status = 'signed_in';
  } catch (error) {
    const apiError = error as ApiError;
    if (apiError.code === 'unauthenticated') {
      becomeAnonymous(null);
      return;
    }
    throw error;
  }
}

export async function startSession(): Promise<void> {
  onAuthFailure((code) => {
    if (code === 'unauthenticated') becomeAnonymous('app.sessionExpired');
    else void refreshMe().catch(() => undefined);
  });
  session.status = 'loading';
  session.startupError = null;
  try {
    const [meta] = await Promise.all([api.meta(), refreshMe()]);
    session.meta = meta;
  } catch (error) {
    session.startupError = error as ApiError;
    session.status = 'unreachable';
  }
}

/** After a successful POST /auth/login: fetch the permissions and go where the user wanted. */
export async function completeLogin(login: LoginResponse, next: string | null): Promise<void> {
  session.notice = null;
  await refreshMe();
  if (session.me?.password_change_required ?? login.password_change_required) {
    navigate('/account', { replace: true });
    return;
  }
  if (session.me?.enrolment_required ?? login.enrolment_required) {
    navigate('/enrol', { replace: true });
    return;
  }
  // A page this account may not open (the previous user's, say) would only show "not found".
  const wanted = next ? matchRoute(next) : null;
  const mayGo = wanted && wanted.route.name !== 'enrol' && mayOpen(wanted.route, session.me?.permissions ?? [], session.me?.user.role);
  navigate(mayGo && next ? next : '/', { replace: true });
}

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } catch {
    // The session may already be gone; either way the user leaves.
  }
  session.me = null;
  session.status = 'anonymous';
  session.notice = 'app.loggedOut';
  // Drafts of complaints live in this tab's sessionStorage: the next person at this computer
  // must not find them.
  try {
    sessionStorage.clear();
  } catch {
    // Storage disabled: nothing was kept.
  }
  navigate('/login', { replace: true });
}
