/**
 * Size budget (`npm run size`, the last step of `npm test`): all three elements together and each
 * element alone, built exactly as `dist/widget.js` is (vite.config.ts: templates minified, Lit's
 * production build, minified ES), then gzip level 9. Prints the figures, with Lit alone for scale,
 * and exits 1 when a bundle is over its budget (1 KB = 1024 bytes): 13 KB for each element alone,
 * 17.5 KB for all three, 2.5 KB for each language pack and 3.75 KB for the panel's lock dialog
 * (both loaded on demand). A bundle counts what a page loads at start: the entry and the files it
 * imports statically. All three together carry the English strings of all three (about 1.5 KB),
 * which the first paint needs: they stay in the bundle rather than cost a round trip before any
 * text is shown.
 *
 *   tsx bench/size.ts                       the project's widget/
 *   tsx bench/size.ts --root /tmp/other     another folder holding widget/ with the same layout
 *   tsx bench/size.ts --all a.ts --element b.ts --element c.ts    explicit entry files
 *   tsx bench/size.ts --why                 also: which inputs take the room in each bundle
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
const KB = 1024;
const ELEMENTS = ['client-reset-panel', 'forgot-password-form', 'force-reset-dialog'];
const BUDGET_ALL = 17.5 * KB;
const BUDGET_EACH = 13 * KB;
const BUDGET_PACK = 2.5 * KB;
/** The panel's lock dialog, loaded once a client is shown. */
const BUDGET_LOCK = 3.75 * KB;

interface Row {
  name: string;
  raw: number;
  gzip: number;
  budget: number | null;
  /** Bytes each input file contributes before minification, largest first (with --why). */
  inputs?: Array<[string, number]>;
}

const { values } = parseArgs({
  options: {
    root: { type: 'string' },
    all: { type: 'string' },
    element: { type: 'string', multiple: true },
    why: { type: 'boolean', default: false },
  },
});
const root = path.resolve(values.root ?? PROJECT_ROOT);
const allEntry = path.resolve(values.all ?? path.join(root, 'widget', 'index.ts'));
const elementEntries = (
  values.element ?? ELEMENTS.map((name) => path.join('widget', name, `${name}.ts`))
).map((file) => path.resolve(root, file));

/** Filled by `measure`: what the entries load on demand (language packs, the lock dialog), by file name. */
const onDemand = new Map<string, Uint8Array>();

/** Builds one entry with the project's vite configuration, in memory, and measures its own file. */
async function measure(name: string, entry: string, budget: number | null): Promise<Row> {
  const result = (await build({
    configFile: path.join(PROJECT_ROOT, 'vite.config.ts'),
    root: PROJECT_ROOT,
    logLevel: 'silent',
    build: { write: false, emptyOutDir: false, lib: { entry } },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const output = (Array.isArray(result) ? result[0] : result).output;
  const chunks = output.filter((file): file is Rolldown.OutputChunk => file.type === 'chunk');
  // What a page loads at start: the entry and every file it imports statically. Files only
  // imported dynamically (language packs, the lock dialog) are measured on their own.
  const main = chunks.find((chunk) => chunk.isEntry)!;
  const atStart = new Set([main]);
  for (const chunk of atStart)
    for (const file of chunk.imports) atStart.add(chunks.find((other) => other.fileName === file)!);
  for (const chunk of chunks)
    if (!atStart.has(chunk))
      onDemand.set(chunk.fileName.replace(/-[\w-]{8}\.js$/, ''), Buffer.from(chunk.code));
  const code = Buffer.concat([...atStart].map((chunk) => Buffer.from(chunk.code)));
  if (code.includes('Lit is in dev mode'))
    throw new Error(`${name}: Lit's development build was bundled; the figures would be wrong`);
  const inputs = values.why
    ? Object.entries(main.modules)
        .map(([file, module]): [string, number] => [path.relative(root, file), module.renderedLength])
        .sort((a, b) => b[1] - a[1])
    : undefined;
  return { name, raw: code.length, gzip: gzipSync(code, { level: 9 }).length, budget, inputs };
}

const label = (file: string) => path.relative(root, file) || file;
const missing = [allEntry, ...elementEntries].filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`Missing entry files:\n${missing.map((file) => `  ${file}`).join('\n')}`);
  console.error('Pass --root DIR (a folder holding widget/) or --all FILE --element FILE ….');
  process.exit(1);
}

const rows: Row[] = [await measure(`${label(allEntry)} (all three)`, allEntry, BUDGET_ALL)];
for (const entry of elementEntries) rows.push(await measure(label(entry), entry, BUDGET_EACH));

// For scale: LitElement alone (what the elements build on), in one tiny element built the same way.
const scratch = path.join(PROJECT_ROOT, '.tmp', 'size');
mkdirSync(scratch, { recursive: true });
const scales: Array<[string, string, string]> = [
  [
    'lit-element.ts',
    'LitElement alone, for scale',
    "import { LitElement, html } from 'lit';\ncustomElements.define('x-scale', class extends LitElement { render() { return html`<p>x</p>`; } });\n",
  ],
];
for (const [file, name, contents] of scales) {
  writeFileSync(path.join(scratch, file), contents);
  rows.push(await measure(name, path.join(scratch, file), null));
}
for (const [file, code] of [...onDemand].sort()) {
  const lang = /^widget-([a-z]{2})$/.exec(file)?.[1];
  rows.push({
    name: lang ? `widget/locales/${lang}.ts (language pack, on demand)` : `${file}.js (on demand)`,
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    budget: lang ? BUDGET_PACK : BUDGET_LOCK,
  });
}

const kb = (bytes: number) => (bytes / KB).toFixed(2);
const table = [
  ['bundle', 'raw bytes', 'gzip bytes', 'gzip KB', 'budget', 'status'],
  ...rows.map((row) => [
    row.name,
    String(row.raw),
    String(row.gzip),
    kb(row.gzip),
    row.budget === null ? '-' : `${row.budget / KB} KB`,
    row.budget === null ? '-' : row.gzip <= row.budget ? 'ok' : 'OVER',
  ]),
];
const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
const format = (line: string[]) =>
  line
    .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
    .join('  ');
console.log(
  'Widget size: built as dist/widget.js is (vite.config.ts), Lit included, gzip -9 (1 KB = 1024 bytes)\n',
);
console.log(format(table[0]));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const line of table.slice(1)) console.log(format(line));

if (values.why) {
  for (const row of rows.filter((one) => one.inputs)) {
    console.log(`\n${row.name}: bytes by input (as rendered into the bundle, before minification)`);
    for (const [file, bytes] of row.inputs!.slice(0, 12))
      console.log(`${String(bytes).padStart(9)}  ${file}`);
  }
}

const over = rows.filter((row) => row.budget !== null && row.gzip > row.budget);
if (over.length > 0) {
  console.error(`\nOver budget: ${over.map((row) => row.name).join(', ')}`);
  process.exit(1);
}
console.log('\nEvery bundle is within its budget.');
