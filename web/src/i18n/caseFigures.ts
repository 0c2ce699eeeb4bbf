// The case figures page's and the extract panel's texts, added to the catalogs when either is
// loaded (both import this module).

import { addMessages } from './index.svelte';
import { caseFiguresEn } from './caseFigures.en';
import { caseFiguresFr } from './caseFigures.fr';

addMessages({ en: caseFiguresEn, fr: caseFiguresFr });
