// The modules of the app, in navigation order, and the permission each one needs.

import type { Permission } from '../api/types';
import type { MessageKey } from '../i18n/index.svelte';

export interface Module {
  path: string;
  label: MessageKey;
  /** What the home page says the module is for. */
  summary: MessageKey;
  /** Absent (and no anyOf): every signed-in user. */
  permission?: Permission;
  /** Shown when the user has at least one of these. */
  anyOf?: readonly Permission[];
  /** Shown only to users of this role (the Victims' Rights Advocate's workspace). */
  role?: string;
  /** Other paths whose pages belong to this module (marked current in the navigation). */
  also?: readonly string[];
  /** Paths below this one (and the pages below those) that belong to another module. */
  except?: readonly string[];
}

/** Who may open the cases pages: the CDT, and the Victims' Rights Advocate (whom the server
 *  shows the cases that have victims). */
export const CASE_VIEWERS: readonly Permission[] = ['cases.manage', 'intake.victims'];

/** Who may open the Services page: the directory's readers and provider case managers. */
export const PROVIDER_VIEWERS: readonly Permission[] = ['providers.read', 'providers.own'];

/** Who may open the Trust Fund page: its keepers (the VRA, the CDT chief) and leadership, who
 *  sees the figures only. */
export const TRUST_FUND_VIEWERS: readonly Permission[] = ['trustfund.manage', 'trustfund.figures'];

export const MODULES: readonly Module[] = [
  { path: '/', label: 'nav.home', summary: 'home.module.home' },
  { path: '/plans', label: 'nav.plans', summary: 'home.module.plans', permission: 'plan.read', also: ['/activities'] },
  // Focal points of units record progress here; every role that sees or feeds the plan may be one.
  { path: '/my', label: 'nav.my', summary: 'home.module.my', anyOf: ['plan.entry', 'plan.read'] },
  { path: '/intake/new', label: 'nav.intakeNew', summary: 'home.module.intakeNew', permission: 'intake.submit' },
  // Submitters see the complaints they entered, the queue (intake.queue) every complaint.
  {
    path: '/intake',
    label: 'nav.intake',
    summary: 'home.module.intake',
    anyOf: ['intake.submit', 'intake.queue'],
    except: ['/intake/new', '/intake/victims', '/intake/figures'],
  },
  // The Victims' Rights Advocate (and the CDT chief): the victim part of the complaints.
  { path: '/intake/victims', label: 'nav.intakeVictims', summary: 'home.module.intakeVictims', permission: 'intake.victims' },
  // Counts for the CDT and the mission's leadership (small counts hidden from leadership).
  { path: '/intake/figures', label: 'nav.intakeFigures', summary: 'home.module.intakeFigures', permission: 'intake.figures' },
  // Allegation cases: the list, a case, what is due, the cases readers (the CDT; the VRA sees
  // the cases with victims).
  { path: '/cases', label: 'nav.cases', summary: 'home.module.cases', anyOf: CASE_VIEWERS, except: ['/cases/figures'] },
  // Case figures, charts and the UN public table: the CDT and leadership (aggregates only).
  { path: '/cases/figures', label: 'nav.caseFigures', summary: 'home.module.caseFigures', permission: 'intake.figures' },
  // The service providers' directory and map (the VRA and the CDT; a provider case manager
  // sees their own entry).
  { path: '/services', label: 'nav.services', summary: 'home.module.services', anyOf: PROVIDER_VIEWERS },
  // The Victims' Rights Advocate's files: consents, needs, the 72-hour window.
  { path: '/assistance', label: 'nav.assistance', summary: 'home.module.assistance', role: 'vra' },
  // The Trust Fund in Support of Victims: projects, beneficiaries, withheld amounts, figures.
  { path: '/trust-fund', label: 'nav.trustFund', summary: 'home.module.trustFund', anyOf: TRUST_FUND_VIEWERS },
  // A provider case manager's referrals: the victims referred to their organisation.
  { path: '/provider-portal', label: 'nav.providerPortal', summary: 'home.module.providerPortal', role: 'provider_case_manager' },
  // How long records are kept, and legal holds (CDT chief; officers see and place holds).
  { path: '/retention', label: 'nav.retention', summary: 'home.module.retention', permission: 'retention.hold' },
  { path: '/units', label: 'nav.units', summary: 'home.module.units', permission: 'units.manage' },
  { path: '/users', label: 'nav.users', summary: 'home.module.users', permission: 'users.manage' },
  { path: '/audit', label: 'nav.audit', summary: 'home.module.audit', permission: 'audit.read' },
  { path: '/tokens', label: 'nav.tokens', summary: 'home.module.tokens', permission: 'tokens.manage' },
  { path: '/account', label: 'nav.account', summary: 'home.module.account' },
];

/** Whether a user with these permissions may open a page guarded by `permission` / `anyOf`. */
export function allowed(
  guard: { permission?: Permission; anyOf?: readonly Permission[]; role?: string },
  permissions: readonly Permission[],
  role?: string,
): boolean {
  if (guard.role && guard.role !== role) return false;
  if (guard.permission && !permissions.includes(guard.permission)) return false;
  if (guard.anyOf && !guard.anyOf.some((permission) => permissions.includes(permission))) return false;
  return true;
}

/** Whether the page at `path` belongs to the module: its own path or one below it. */
export function isCurrent(module: Module, path: string): boolean {
  if (path === module.path) return true;
  if (module.path === '/') return false;
  if (module.except?.some((other) => path === other || path.startsWith(`${other}/`))) return false;
  return [module.path, ...(module.also ?? [])].some((prefix) => path.startsWith(`${prefix}/`));
}

export function modulesFor(permissions: readonly Permission[], role?: string): Module[] {
  return MODULES.filter((module) => allowed(module, permissions, role));
}
