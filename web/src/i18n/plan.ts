// The action plan's texts, added to the catalogs when the first plan view is loaded: every plan
// view and component imports lib/plan.ts, which imports this module.

import { addMessages } from './index.svelte';
import { planEn } from './plan.en';
import { planFr } from './plan.fr';

addMessages({ en: planEn, fr: planFr });
