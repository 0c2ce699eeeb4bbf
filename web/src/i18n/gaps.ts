// The gap table's and the overdue contacts' texts, added to the catalogs when either is loaded,
// and `tg`, their t() over these keys.

import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { gapsEn, type GapsMessageKey } from './gaps.en';
import { gapsFr } from './gaps.fr';

addMessages({ en: gapsEn, fr: gapsFr });

/** t() for the gap table's own keys (kept out of the core MessageKey union). */
export function tg(key: GapsMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { GapsMessageKey };
