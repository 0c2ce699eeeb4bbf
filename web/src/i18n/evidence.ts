// The evidence and IRT panels' texts, added to the catalogs when a panel is loaded (both import
// this module), and `te`, their t() over these keys.

import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { evidenceEn, type EvidenceMessageKey } from './evidence.en';
import { evidenceFr } from './evidence.fr';

addMessages({ en: evidenceEn, fr: evidenceFr });

/** t() for the panels' own keys (kept out of the core MessageKey union). */
export function te(key: EvidenceMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { EvidenceMessageKey };
