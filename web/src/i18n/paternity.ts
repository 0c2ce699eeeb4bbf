// The paternity panel's texts, added to the catalogs when the panel is loaded, and `tp`, t()
// over these keys.

import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { paternityEn, type PaternityMessageKey } from './paternity.en';
import { paternityFr } from './paternity.fr';

addMessages({ en: paternityEn, fr: paternityFr });

/** t() for the panel's own keys (kept out of the core MessageKey union). */
export function tp(key: PaternityMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { PaternityMessageKey };
