// The SMS gateway settings' texts, added to the catalogs when the settings dialog is loaded:
// components/GatewaySettings.svelte imports this module.

import { addMessages } from './index.svelte';
import { gatewayEn } from './gateway.en';
import { gatewayFr } from './gateway.fr';

addMessages({ en: gatewayEn, fr: gatewayFr });
