// The modules of the app, in navigation order, and the permission each one needs.

import type { Permission } from '../api/types';
import type { MessageKey } from '../i18n/index.svelte';

export interface Module {
  path: string;
  label: MessageKey;
  /** What the home page says the module is for. */
  summary: MessageKey;
  /** Absent: every signed-in user. */
  permission?: Permission;
}

export const MODULES: readonly Module[] = [
  { path: '/', label: 'nav.home', summary: 'home.module.home' },
  { path: '/users', label: 'nav.users', summary: 'home.module.users', permission: 'users.manage' },
  { path: '/audit', label: 'nav.audit', summary: 'home.module.audit', permission: 'audit.read' },
  { path: '/tokens', label: 'nav.tokens', summary: 'home.module.tokens', permission: 'tokens.manage' },
  { path: '/account', label: 'nav.account', summary: 'home.module.account' },
];

export function modulesFor(permissions: readonly Permission[]): Module[] {
  return MODULES.filter((module) => !module.permission || permissions.includes(module.permission));
}
