// The complaint intake's texts, added to the catalogs when the first intake view is loaded:
// every intake view imports lib/intake.ts, which imports this module.

import { addMessages } from './index.svelte';
import { intakeEn } from './intake.en';
import { intakeFr } from './intake.fr';

addMessages({ en: intakeEn, fr: intakeFr });
