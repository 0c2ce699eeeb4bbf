// Textes français du tableau des lacunes, de la couche des besoins de la carte des services et des
// contacts en retard de la DDV (voir gaps.ts). Les clés sont celles de gaps.en.ts, ni plus ni moins.
// Typographie : espace insécable (U+00A0) avant « : ; ? ! ».

import type { GapsMessageKey } from './gaps.en';

export const gapsFr: Record<GapsMessageKey, string> = {
  'gaps.title': 'Lacunes : services et besoins',
  'gaps.intro':
    'Pour chaque préfecture et chaque service : les prestataires actifs (et combien n’ont pas été vérifiés depuis {days} jours) face aux victimes ayant un besoin ouvert de ce type, et aux victimes dont le besoin a été satisfait.',
  'gaps.suppressed': 'Les effectifs de 1 à 4 victimes sont affichés « <5 ».',
  'gaps.summary': '{gaps} lacune(s), {stale} couverte(s) seulement par des prestataires non vérifiés, {covered} couverte(s).',
  'gaps.empty': 'Aucun prestataire ni besoin enregistré pour l’instant.',
  'gaps.filterService': 'Service',
  'gaps.filterPrefecture': 'Préfecture',
  'gaps.any': 'Toutes',
  'gaps.onlyGaps': 'Seulement les lacunes et alertes',
  'gaps.prefecture': 'Préfecture',
  'gaps.service': 'Service',
  'gaps.providers': 'Prestataires',
  'gaps.stale': 'non vérifié(s)',
  'gaps.needing': 'Victimes en besoin',
  'gaps.assisted': 'Victimes assistées',
  'gaps.state': 'Situation',
  'gaps.state.gap': 'Lacune : aucun prestataire',
  'gaps.state.stale_only': 'À vérifier : prestataires non vérifiés',
  'gaps.state.covered': 'Couvert',
  'gaps.state.no_need': 'Aucun besoin ouvert',
  'gaps.unknownPrefecture': 'Préfecture inconnue {code}',
  'gaps.noPrefecture': 'Aucune préfecture enregistrée',
  'gaps.sortBy': 'Trier par {column}',
  'gaps.sort': 'Trier par',
  'gaps.small': '<5',
  'gaps.showAll': 'Afficher toutes les préfectures',
  'gaps.selectedPrefecture': 'Lignes de {name}',
  'gaps.assistedTitle': 'Victimes assistées par type de service',
  'gaps.assistedNote': 'Dossiers distincts dont un besoin de ce type a été satisfait ou dont le service a commencé, toutes préfectures confondues.',
  'gaps.layer': 'Besoins par préfecture',
  'gaps.layerNote': 'Cercles au chef-lieu de chaque préfecture, de taille proportionnelle aux victimes en besoin, en rouge là où un besoin n’a aucun prestataire.',
  'gaps.layerLabel': 'Victimes ayant besoin de services à {name} : {count}',
  'gaps.showPrefecture': 'Afficher les lacunes de {name}',
  'gaps.notPlaced': 'Hors de la carte (position inconnue) : {names}.',
  'gaps.overdueTitle': 'Victimes à informer',
  'gaps.overdueIntro': 'Dossiers dont le délai pour informer la victime est dépassé sans contact enregistré.',
  'gaps.overdueNone': 'Aucune victime n’attend de nouvelles au-delà du délai.',
  'gaps.overdueDays': '{days} jour(s) de retard',
  'gaps.overdueSince': 'échéance le {date}',
};
