// The Trust Fund page's texts, added to the catalogs when the page is loaded, and `tf`, their
// t() over these keys.

import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { trustFundEn, type TrustFundMessageKey } from './trustfund.en';
import { trustFundFr } from './trustfund.fr';

addMessages({ en: trustFundEn, fr: trustFundFr });

/** t() for the page's own keys (kept out of the core MessageKey union). */
export function tf(key: TrustFundMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { TrustFundMessageKey };
