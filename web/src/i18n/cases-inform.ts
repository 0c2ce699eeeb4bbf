// The texts of the victim-contact panel, the review page and the reminders count, added to the
// catalogs when one of them is loaded (each imports this module).

import { addMessages } from './index.svelte';
import { casesInformEn } from './cases-inform.en';
import { casesInformFr } from './cases-inform.fr';

addMessages({ en: casesInformEn, fr: casesInformFr });
