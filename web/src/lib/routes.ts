// The pages of the app: path patterns (":id" is a numeric parameter), their titles and the
// permissions they need. App.svelte maps each name to its view; the login page uses the same
// table to decide whether the page a user wanted may be opened after signing in.

import type { Permission } from '../api/types';
import type { MessageKey } from '../i18n/index.svelte';
import { allowed, CASE_VIEWERS, PROVIDER_VIEWERS, TRUST_FUND_VIEWERS } from './nav';

export type RouteName =
  | 'home'
  | 'account'
  | 'enrol'
  | 'users'
  | 'audit'
  | 'tokens'
  | 'plans'
  | 'plan'
  | 'planVersions'
  | 'planReport'
  | 'activity'
  | 'my'
  | 'units'
  | 'intakeNew'
  | 'intakeQueue'
  | 'intakeComplaint'
  | 'intakeReaders'
  | 'intakePlaces'
  | 'intakeVictims'
  | 'intakeVictim'
  | 'intakeFigures'
  | 'intakeSeaTypes'
  | 'retention'
  | 'cases'
  | 'caseDue'
  | 'caseReaders'
  | 'caseReview'
  | 'caseFigures'
  | 'case'
  | 'services'
  | 'assistance'
  | 'assistanceFile'
  | 'trustFund'
  | 'assistanceTracking'
  | 'providerPortal';

export interface RouteDef {
  name: RouteName;
  pattern: string;
  title: MessageKey;
  permission?: Permission;
  anyOf?: readonly Permission[];
  /** Only for users of this role. */
  role?: string;
}

export const ROUTES: readonly RouteDef[] = [
  { name: 'home', pattern: '/', title: 'nav.home' },
  { name: 'account', pattern: '/account', title: 'nav.account' },
  { name: 'enrol', pattern: '/enrol', title: 'enrol.title' },
  { name: 'users', pattern: '/users', title: 'nav.users', permission: 'users.manage' },
  { name: 'audit', pattern: '/audit', title: 'nav.audit', permission: 'audit.read' },
  { name: 'tokens', pattern: '/tokens', title: 'nav.tokens', permission: 'tokens.manage' },
  { name: 'plans', pattern: '/plans', title: 'nav.plans', permission: 'plan.read' },
  { name: 'plan', pattern: '/plans/:id', title: 'plan.title', permission: 'plan.read' },
  { name: 'planVersions', pattern: '/plans/:id/versions', title: 'versions.title', permission: 'plan.read' },
  { name: 'planReport', pattern: '/plans/:id/report', title: 'report.title', permission: 'plan.read' },
  { name: 'activity', pattern: '/activities/:id', title: 'activity.title', permission: 'plan.read' },
  { name: 'my', pattern: '/my', title: 'nav.my', anyOf: ['plan.entry', 'plan.read'] },
  { name: 'units', pattern: '/units', title: 'nav.units', permission: 'units.manage' },
  { name: 'intakeNew', pattern: '/intake/new', title: 'nav.intakeNew', permission: 'intake.submit' },
  { name: 'intakeQueue', pattern: '/intake', title: 'nav.intake', anyOf: ['intake.submit', 'intake.queue'] },
  // Every intake.queue user sees who reads identities; only a reader with intake.readers changes it.
  { name: 'intakeReaders', pattern: '/intake/readers', title: 'intake.readersTitle', permission: 'intake.queue' },
  { name: 'intakePlaces', pattern: '/intake/places', title: 'intake.placesTitle', permission: 'intake.queue' },
  { name: 'intakeVictims', pattern: '/intake/victims', title: 'nav.intakeVictims', permission: 'intake.victims' },
  { name: 'intakeVictim', pattern: '/intake/victims/:id', title: 'nav.intakeVictims', permission: 'intake.victims' },
  { name: 'intakeFigures', pattern: '/intake/figures', title: 'nav.intakeFigures', permission: 'intake.figures' },
  // Every intake.queue user sees the types; only the chief (intake.readers) changes them.
  { name: 'intakeSeaTypes', pattern: '/intake/vocabulary', title: 'intake.seaTypesTitle', permission: 'intake.queue' },
  // Officers see and place holds; the policies and the preview are the chief's (retention.manage).
  { name: 'retention', pattern: '/retention', title: 'nav.retention', permission: 'retention.hold' },
  // Cases: the CDT (cases.manage) and the VRA (intake.victims), who sees the cases with victims
  // (the server decides which). Literal paths come before /cases/:id.
  { name: 'cases', pattern: '/cases', title: 'nav.cases', anyOf: CASE_VIEWERS },
  { name: 'caseDue', pattern: '/cases/due', title: 'nav.caseDue', anyOf: CASE_VIEWERS },
  { name: 'caseReaders', pattern: '/cases/readers', title: 'nav.caseReaders', permission: 'cases.manage' },
  { name: 'caseReview', pattern: '/cases/review', title: 'nav.caseReview', permission: 'cases.manage' },
  { name: 'caseFigures', pattern: '/cases/figures', title: 'nav.caseFigures', permission: 'intake.figures' },
  { name: 'case', pattern: '/cases/:id', title: 'nav.case', anyOf: CASE_VIEWERS },
  { name: 'services', pattern: '/services', title: 'nav.services', anyOf: PROVIDER_VIEWERS },
  // The Victims' Rights Advocate's workspace (role vra).
  { name: 'assistance', pattern: '/assistance', title: 'nav.assistance', role: 'vra' },
  // A file opens for the VRA and for the people she designates (another VRA, a CDT officer, a
  // partner's case manager given the identity by a referral); the server answers 404 to others.
  { name: 'assistanceFile', pattern: '/assistance/:id', title: 'nav.assistanceFile' },
  // The Trust Fund in Support of Victims: figures for leadership, the rest for its keepers.
  { name: 'trustFund', pattern: '/trust-fund', title: 'nav.trustFund', anyOf: TRUST_FUND_VIEWERS },
  // Referrals: the VRA's service tracking table; a provider case manager's referrals.
  { name: 'assistanceTracking', pattern: '/assistance/tracking', title: 'nav.assistanceTracking', role: 'vra' },
  { name: 'providerPortal', pattern: '/provider-portal', title: 'nav.providerPortal', role: 'provider_case_manager' },
  {
    name: 'intakeComplaint',
    pattern: '/intake/:id',
    title: 'intake.complaintTitle',
    anyOf: ['intake.submit', 'intake.queue'],
  },
];

export interface RouteMatch {
  route: RouteDef;
  /** Numeric path parameters, e.g. { id: 3 } for /plans/3. */
  params: Record<string, number>;
}

export function matchRoute(path: string): RouteMatch | null {
  const parts = path.split('/');
  for (const route of ROUTES) {
    const pattern = route.pattern.split('/');
    if (pattern.length !== parts.length) continue;
    const params: Record<string, number> = {};
    const matches = pattern.every((piece, index) => {
      const part = parts[index]!;
      if (!piece.startsWith(':')) return piece === part;
      if (!/^[1-9]\d{0,15}$/.test(part)) return false;
      params[piece.slice(1)] = Number(part);
      return true;
    });
    if (matches) return { route, params };
  }
  return null;
}

export function mayOpen(route: RouteDef, permissions: readonly Permission[], role?: string): boolean {
  return allowed(route, permissions, role);
}
