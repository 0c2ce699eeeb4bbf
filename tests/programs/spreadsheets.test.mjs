// The progress report and the CSV exports as spreadsheet programs read them (issue 11): a plan
// written in French, downloaded as XLSX with lang=fr and as CSV, then
// - read with openpyxl (Debian python3-openpyxl): French sheet names, headings and statuses,
//   numbers as numbers, percentages with a percent format, dates as dates;
// - opened with LibreOffice headless (Debian libreoffice-calc-nogui): the CSV, converted to
//   XLSX, keeps its accents (the UTF-8 byte order mark) and its figures; the XLSX, converted
//   to CSV, keeps its French words.
// Each part skips, naming the Debian package, when its program is missing.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, strongPassword, loginEnrolled, assertStatus, run } from '../support/server.mjs';

function has(command, args = ['--version']) {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20000 });
    return true;
  } catch {
    return false;
  }
}
// Debian's python3-openpyxl is a module of Debian's Python, which a pyenv or venv python3
// earlier on the PATH does not see.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const HAS_OPENPYXL = has(PYTHON, ['-c', 'import openpyxl']);
const HAS_SOFFICE = has('soffice', ['--version']);

const officer = { username: 'ssofficer', role: 'cdt_officer', password: strongPassword() };
const YAML = { contentType: 'application/yaml' };
const PLAN = `format: psea-plan/1
key: exmis-eas-fr
version: "2021"
title: "Plan d'action de l'EXMIS contre l'exploitation et les atteintes sexuelles 2021"
mission: EXMIS
period: {start: "2021-01", end: "2021-12"}
pillars:
  - key: prevention
    title: "Prévention"
    goals:
      - number: 1
        title: "Créer un groupe de travail à Bangui."
        activities:
          - letter: a
            text: "Tenir des réunions mensuelles du groupe de travail, « comité élargi »."
          - letter: b
            text: "Former le personnel nouvellement arrivé."
        expected_results:
          - numeral: i
            text: "Efforts coordonnés."
`;

// Runs a Python snippet with openpyxl on `file`; the snippet prints JSON.
async function python(code, file) {
  const r = await run(PYTHON, ['-c', code, file], { timeoutMs: 30000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('spreadsheets', { timeout: 240000 }, () => {
  let srv;
  let oc;
  let dir;
  let planId;
  const files = {};

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-sheets-'));
    srv = await startServer({ users: [officer] });
    ({ client: oc } = await loginEnrolled(srv, officer));
    planId = assertStatus(await oc.post('/api/v1/plans', PLAN, YAML), 201).plan.id;
    const tree = assertStatus(await oc.get(`/api/v1/plans/${planId}`), 200);
    const goal = tree.pillars[0].goals[0];
    const activity = goal.activities[0];
    assertStatus(await oc.post(`/api/v1/activities/${activity.id}/entries`, {
      month: '2021-03', occurred_on: '2021-03-13', status: 'on_track', narrative: 'Réunion tenue à Bossangoa ; 12 participants.',
    }), 201);
    assertStatus(await oc.post('/api/v1/indicators', {
      key: 'manual.formation_pct', description: 'Part du personnel formé à l\'arrivée', unit: '%', target: '100',
      result_ids: [goal.expected_results[0].id],
    }), 201);
    assertStatus(await oc.post('/api/v1/indicators/manual.formation_pct/values', { value: 87.5, date: '2021-03-31', note: 'mars' }), 201);
    for (const [name, query] of [['report.xlsx', 'format=xlsx&lang=fr'], ['report.csv', 'format=csv']]) {
      const r = await oc.get(`/api/v1/plans/${planId}/report?from=2021-01&to=2021-06&${query}`);
      assert.equal(r.status, 200, r.text.slice(0, 300));
      files[name] = path.join(dir, name);
      fs.writeFileSync(files[name], r.body);
    }
  });
  after(async () => {
    await srv?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the CSV starts with the UTF-8 byte order mark and keeps the accents', () => {
    const bytes = fs.readFileSync(files['report.csv']);
    assert.equal(bytes.subarray(0, 3).toString('hex'), 'efbbbf');
    assert.ok(bytes.toString('utf8').includes('Tenir des réunions mensuelles du groupe de travail, « comité élargi ».'));
  });

  it('openpyxl reads French headings and statuses, numbers, percentages and dates',
    { skip: !HAS_OPENPYXL && 'python3-openpyxl is not installed' }, async () => {
      const book = await python(`
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
m, e, i = wb['Matrice'], wb['Saisies'], wb['Indicateurs']
def cell(c):
    v = c.value
    return {'type': type(v).__name__, 'value': v.isoformat() if isinstance(v, datetime.datetime) else v,
            'format': c.number_format}
print(json.dumps({
  'sheets': wb.sheetnames,
  'matrix_headers': [c.value for c in m[4]],
  'matrix_status': m['F6'].value,
  'entry_headers': [c.value for c in e[1]],
  'entry_month': cell(e['B2']), 'entry_date': cell(e['C2']), 'entry_status': e['D2'].value,
  'entry_narrative': e['E2'].value,
  'indicator_headers': [c.value for c in i[1]],
  'indicator_kinds': sorted({row[2].value for row in i.iter_rows(min_row=2)}),
  **{name: cell(c) for row in i.iter_rows(min_row=2) if row[0].value == 'manual.formation_pct'
     for name, c in (('kind', row[2]), ('target', row[4]), ('value', row[5]), ('value_date', row[6]))},
}))
`, files['report.xlsx']);
      assert.deepEqual(book.sheets, ['Matrice', 'Saisies', 'Indicateurs']);
      assert.deepEqual(book.matrix_headers.slice(0, 6), ['Objectif', 'Activité', 'Résultats attendus', 'Chef de file', 'Appui', 'Statut']);
      assert.equal(book.matrix_headers.at(-1), 'Retard');
      assert.equal(book.matrix_status, 'En bonne voie');
      assert.deepEqual(book.entry_headers, ['Activité', 'Mois', 'Date', 'Statut', 'Récit', 'Auteur', 'Preuves']);
      assert.equal(book.entry_status, 'En bonne voie');
      assert.equal(book.entry_narrative, 'Réunion tenue à Bossangoa ; 12 participants.');
      assert.deepEqual(book.entry_date, { type: 'datetime', value: '2021-03-13T00:00:00', format: 'dd/mm/yyyy' });
      assert.equal(book.entry_month.type, 'datetime');
      assert.equal(book.entry_month.value, '2021-03-01T00:00:00');
      assert.equal(book.indicator_headers[4], 'Cible');
      assert.deepEqual(book.indicator_kinds, ['calculé', 'manuel']);
      assert.equal(book.kind.value, 'manuel');
      assert.deepEqual(book.target, { type: 'int', value: 1, format: '0.0%' });
      assert.equal(book.value.type, 'float');
      assert.equal(book.value.value, 0.875);
      assert.equal(book.value.format, '0.0%');
      assert.equal(book.value_date.type, 'datetime');
      assert.equal(book.value_date.value, '2021-03-31T00:00:00');
    });

  it('LibreOffice opens the CSV with its accents and figures, and the XLSX with its French words',
    { skip: !HAS_SOFFICE && 'libreoffice-calc-nogui is not installed' }, async () => {
      const profile = `file://${path.join(dir, 'lo-profile')}`;
      const out = path.join(dir, 'lo');
      // Headless and without import options, LibreOffice reads a CSV in a legacy charset whatever
      // its byte order mark (seen: "PrÃ©vention"), so the CSV is opened as UTF-8 (44 comma, 34
      // quote, 76 UTF-8, from line 1), as one picks in its import dialog. What is checked: the
      // mark is taken as a mark, not as text in the first cell, and accents and figures survive.
      const toXlsx = await run('soffice', [`-env:UserInstallation=${profile}`, '--headless',
        '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', out, files['report.csv']], { timeoutMs: 90000 });
      assert.equal(toXlsx.code, 0, toXlsx.stderr + toXlsx.stdout);
      const toCsv = await run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', out, files['report.xlsx']], { timeoutMs: 90000 });
      assert.equal(toCsv.code, 0, toCsv.stderr + toCsv.stdout);

      const matrixCsv = fs.readFileSync(path.join(out, 'report.csv'), 'utf8');
      for (const text of ['Objectif', 'Activité', 'Résultats attendus', 'En bonne voie', 'Tenir des réunions mensuelles']) {
        assert.ok(matrixCsv.includes(text), `${text} in\n${matrixCsv.slice(0, 600)}`);
      }
      if (HAS_OPENPYXL) {
        const sheet = await python(`
import json, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(json.dumps([[c.value for c in row] for row in ws.iter_rows(max_row=3)]))
`, path.join(out, 'report.xlsx'));
        assert.equal(sheet[0][0], 'pillar', 'the byte order mark is not shown as text in the first cell');
        assert.equal(sheet[1][0], 'Prévention');
        assert.equal(sheet[1][1], 1, 'the goal number is a number');
        assert.equal(sheet[1][4], 'Tenir des réunions mensuelles du groupe de travail, « comité élargi ».');
      } else {
        const back = fs.readFileSync(path.join(out, 'report.xlsx'));
        assert.equal(back.subarray(0, 2).toString('latin1'), 'PK');
      }
    });
});
