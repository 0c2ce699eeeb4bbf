// The workspace's texts, added to the catalogs when one of its pages is loaded, and `ta`, their
// t() over these keys.

import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { assistanceEn, type AssistanceMessageKey } from './assistance.en';
import { assistanceFr } from './assistance.fr';

addMessages({ en: assistanceEn, fr: assistanceFr });

/** t() for the workspace's own keys (kept out of the core MessageKey union). */
export function ta(key: AssistanceMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { AssistanceMessageKey };
