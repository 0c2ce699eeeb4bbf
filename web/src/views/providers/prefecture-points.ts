// Where the needs layer of the service map draws each prefecture: the approximate position of its
// chief town (the places list, data/locations/car.yaml, has no coordinates and the shipped outline
// is the country's only). Rounded to a hundredth of a degree from public gazetteer positions of
// the towns (facts, not a copied data set); the chief towns follow the 2020 law as the places list
// does (Boali for Ombella-M'Poko, Carnot for Mambéré, Batangafo for Ouham-Fafa, Paoua for
// Lim-Pendé). A prefecture the CDT adds in the application has no point: the map lists it instead.

export const PREFECTURE_POINTS: Record<string, { lat: number; lon: number; town: string }> = {
  BBG: { lat: 8.41, lon: 20.65, town: 'Ndélé' },
  BGI: { lat: 4.36, lon: 18.56, town: 'Bangui' },
  BKO: { lat: 4.32, lon: 21.18, town: 'Mobaye' },
  HKO: { lat: 6.54, lon: 21.99, town: 'Bria' },
  HMB: { lat: 5.4, lon: 26.49, town: 'Obo' },
  KEM: { lat: 5.72, lon: 19.08, town: 'Sibut' },
  LOB: { lat: 3.87, lon: 17.99, town: 'Mbaïki' },
  LPE: { lat: 7.24, lon: 16.44, town: 'Paoua' },
  MAM: { lat: 4.94, lon: 15.87, town: 'Carnot' },
  MKA: { lat: 4.26, lon: 15.79, town: 'Berbérati' },
  MBO: { lat: 4.74, lon: 22.82, town: 'Bangassou' },
  NGR: { lat: 6.99, lon: 19.19, town: 'Kaga-Bandoro' },
  NMA: { lat: 5.95, lon: 15.6, town: 'Bouar' },
  OMP: { lat: 4.8, lon: 18.13, town: 'Boali' },
  OUA: { lat: 5.76, lon: 20.67, town: 'Bambari' },
  OUH: { lat: 6.49, lon: 17.45, town: 'Bossangoa' },
  OFA: { lat: 7.3, lon: 18.29, town: 'Batangafo' },
  OPE: { lat: 6.32, lon: 16.38, town: 'Bozoum' },
  SMB: { lat: 3.53, lon: 16.05, town: 'Nola' },
  VAK: { lat: 10.28, lon: 22.79, town: 'Birao' },
};
