// Writes src/views/providers/car-outline.json, the outline of the Central African Republic
// that the Services page's offline map draws, from world-atlas's countries-50m.json (ISC;
// Natural Earth 1:50m admin 0 countries, public domain). Run it again only to change the
// source or the precision:
//   npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
//   node scripts/extract-car-outline.mjs package/countries-50m.json
// The TopoJSON arcs are decoded here (quantized, delta-encoded; a negative index is a reversed
// arc), so no TopoJSON library is needed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/extract-car-outline.mjs PATH/countries-50m.json');
  process.exit(2);
}
const topology = JSON.parse(fs.readFileSync(source, 'utf8'));
const [sx, sy] = topology.transform.scale;
const [tx, ty] = topology.transform.translate;
const arcs = topology.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});
function ring(indexes) {
  const points = [];
  for (const index of indexes) {
    const arc = index < 0 ? [...arcs[~index]].reverse() : arcs[index];
    arc.forEach((point, i) => {
      if (i > 0 || points.length === 0) points.push(point);
    });
  }
  return points.map(([lon, lat]) => [Math.round(lon * 1000) / 1000, Math.round(lat * 1000) / 1000]);
}
// ISO 3166-1 numeric 140: the Central African Republic.
const car = topology.objects.countries.geometries.find((g) => g.id === '140');
if (!car) throw new Error('no geometry with id 140 in ' + source);
const polygons = car.type === 'Polygon' ? [car.arcs] : car.arcs;
const rings = polygons.map((polygon) => ring(polygon[0]));
const out = {
  name: 'Central African Republic',
  source: 'world-atlas 2.0.2 countries-50m.json (ISC), from Natural Earth 1:50m (public domain)',
  rings,
};
const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.join(here, '..', 'src', 'views', 'providers', 'car-outline.json');
fs.writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`${target}: ${rings.length} ring(s), ${rings.reduce((n, r) => n + r.length, 0)} points`);
