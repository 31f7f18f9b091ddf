/**
 * Size budget (`npm run size`, the last step of `npm test`): all three elements together and each
 * element alone, bundled as a page would get them (esbuild, minified ES, Lit included in its
 * production build), then gzip level 9. Prints the figures, with Lit alone for scale, and exits 1
 * when a bundle is over its budget: 15 KB for all three, 11 KB for each (1 KB = 1024 bytes).
 *
 *   tsx bench/size.ts                       the project's widget/
 *   tsx bench/size.ts --root /tmp/other     another folder holding widget/ with the same layout
 *   tsx bench/size.ts --all a.ts --element b.ts --element c.ts    explicit entry files
 *   tsx bench/size.ts --why                 also: which inputs take the room in each bundle
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));
const KB = 1024;
const ELEMENTS = ['client-reset-panel', 'forgot-password-form', 'force-reset-dialog'];
const BUDGET_ALL = 15 * KB;
const BUDGET_EACH = 11 * KB;

interface Row {
  name: string;
  raw: number;
  gzip: number;
  budget: number | null;
  /** Minified bytes each input file contributes, largest first (with --why). */
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

const common: BuildOptions = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // Lit's production build and no `process.env`, as in vite.config.ts.
  conditions: ['production'],
  define: { 'process.env.NODE_ENV': '"production"' },
  // experimentalDecorators and useDefineForClassFields: false, whichever folder the entry is in.
  tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
  // Entries outside the project (stand-ins) still find Lit.
  nodePaths: [path.join(PROJECT_ROOT, 'node_modules')],
  logLevel: 'silent',
  // Locale packs other than English load on demand: they are their own files, measured apart.
  splitting: true,
  outdir: path.join(PROJECT_ROOT, '.tmp', 'size'),
};

async function measure(name: string, options: BuildOptions, budget: number | null): Promise<Row> {
  const result = await build({ ...common, ...options, metafile: values.why });
  // The entry's own file; shared chunks and locale packs are separate.
  const entryFile = result.outputFiles!.find((file) => !/[\\/](chunk|fr)-[\w-]+\.js$/.test(file.path))!;
  const code = entryFile.contents;
  const pack = result.outputFiles!.find((file) => /[\\/]fr-[\w-]+\.js$/.test(file.path));
  if (pack) found.frenchPack = pack.contents;
  if (Buffer.from(code).includes('Lit is in dev mode'))
    throw new Error(`${name}: Lit's development build was bundled; the figures would be wrong`);
  const inputs = result.metafile
    ? Object.entries(Object.values(result.metafile.outputs)[0].inputs)
        .map(([file, { bytesInOutput }]): [string, number] => [file, bytesInOutput])
        .sort((a, b) => b[1] - a[1])
    : undefined;
  return { name, raw: code.length, gzip: gzipSync(code, { level: 9 }).length, budget, inputs };
}

const label = (file: string) => path.relative(root, file) || file;
/** Filled by `measure`: the French pack the entries load on demand. */
const found: { frenchPack: Uint8Array | null } = { frenchPack: null };

const missing = [allEntry, ...elementEntries].filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(`Missing entry files:\n${missing.map((file) => `  ${file}`).join('\n')}`);
  console.error('Pass --root DIR (a folder holding widget/) or --all FILE --element FILE ….');
  process.exit(1);
}

const rows: Row[] = [
  await measure(`${label(allEntry)} (all three)`, { entryPoints: [allEntry] }, BUDGET_ALL),
];
for (const entry of elementEntries)
  rows.push(await measure(label(entry), { entryPoints: [entry] }, BUDGET_EACH));
const lit = await measure(
  'lit alone, one tiny element (for scale)',
  {
    stdin: {
      contents:
        "import { LitElement, html } from 'lit';\ncustomElements.define('x-scale', class extends LitElement { render() { return html`<p>x</p>`; } });",
      resolveDir: PROJECT_ROOT,
      loader: 'ts',
    },
  },
  null,
);
rows.push(lit);
if (found.frenchPack) {
  rows.push({
    name: 'French locale pack (loaded on demand)',
    raw: found.frenchPack.length,
    gzip: gzipSync(found.frenchPack, { level: 9 }).length,
    budget: null,
  });
}
// What vite built last (what the server serves), when there is one: for comparison, no budget.
const built = path.join(root, 'dist', 'widget.js');
if (existsSync(built)) {
  const code = readFileSync(built);
  rows.push({
    name: 'dist/widget.js (last vite build)',
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    budget: null,
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
console.log('Widget size: esbuild, minified ES, Lit included, gzip -9 (1 KB = 1024 bytes)\n');
console.log(format(table[0]));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const line of table.slice(1)) console.log(format(line));

if (values.why) {
  for (const row of rows.filter((one) => one.inputs)) {
    console.log(`\n${row.name}: minified bytes by input (before gzip)`);
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
