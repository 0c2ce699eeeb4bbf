// Writes precompressed siblings (.gz and .br) for every text asset of the build, so the
// server can send them as they are with Content-Encoding. Usage: node scripts/compress.mjs dist
import { readdir, readFile, writeFile, unlink } from 'node:fs/promises';
import { join, extname, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json']);
const root = process.argv[2] ?? 'dist';

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

const rows = [];
for await (const path of walk(root)) {
  if (path.endsWith('.gz') || path.endsWith('.br')) {
    await unlink(path); // stale output of an earlier run
    continue;
  }
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const source = await readFile(path);
  const gzipped = gzipSync(source, { level: 9 });
  const brotli = brotliCompressSync(source, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
    },
  });
  await writeFile(`${path}.gz`, gzipped);
  await writeFile(`${path}.br`, brotli);
  rows.push({ file: relative(root, path), raw: source.length, gz: gzipped.length, br: brotli.length });
}

rows.sort((a, b) => a.file.localeCompare(b.file));
const pad = (value, width) => String(value).padStart(width);
for (const row of rows) {
  console.log(`${row.file.padEnd(40)} ${pad(row.raw, 8)} B  gzip ${pad(row.gz, 7)} B  br ${pad(row.br, 7)} B`);
}
// What a first visit downloads: the page and the scripts and stylesheets it names (favicon
// aside); every other script is a chunk loaded when a view needs it.
const html = await readFile(join(root, 'index.html'), 'utf8');
const named = new Set([...html.matchAll(/(?:src|href)="\/([^"]+)"/g)].map((match) => match[1]));
const firstLoad = rows.filter((row) => row.file === 'index.html' || (named.has(row.file) && /\.(js|css)$/.test(row.file)));
const lazy = rows.filter((row) => row.file.endsWith('.js') && !named.has(row.file));
const sum = (list, key) => list.reduce((total, row) => total + row[key], 0);
console.log(`first load (html+js+css): ${sum(firstLoad, 'raw')} B raw, ${sum(firstLoad, 'gz')} B gzip, ${sum(firstLoad, 'br')} B brotli`);
if (lazy.length) {
  console.log(`lazy chunks (${lazy.length}): ${sum(lazy, 'raw')} B raw, ${sum(lazy, 'gz')} B gzip, ${sum(lazy, 'br')} B brotli`);
}
