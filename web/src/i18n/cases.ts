// The cases views' texts, added to the catalogs when the first cases view is loaded: every
// cases view imports lib/cases.ts, which imports this module.

import { addMessages } from './index.svelte';
import { casesEn } from './cases.en';
import { casesFr } from './cases.fr';

addMessages({ en: casesEn, fr: casesFr });
