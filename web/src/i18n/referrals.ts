// The texts of referrals, the service tracking table and the provider portal, added to the
// catalogs when one of their pages is loaded, and `tr`, their t() over these keys.

import { addMessages, t, type MessageKey, type Params } from './index.svelte';
import { referralsEn, type ReferralsMessageKey } from './referrals.en';
import { referralsFr } from './referrals.fr';

addMessages({ en: referralsEn, fr: referralsFr });

/** t() for the referrals' own keys (kept out of the core MessageKey union). */
export function tr(key: ReferralsMessageKey, params?: Params): string {
  return t(key as unknown as MessageKey, params);
}

export type { ReferralsMessageKey };
