/**
 * Runs the benches (`npm run bench`): every one in turn, or those named, each as a child process
 * with this terminal, under a heading; stops at the first that fails, naming it. The benches are
 * the `bench:<name>` scripts of package.json, plus any other script that runs a file in bench/
 * (`size`); what follows the names goes to each of them.
 *   npm run bench                          all of them
 *   npm run bench -- login                 one
 *   npm run bench -- http --rounds 3       one, with its own options
 * A bench that runs the built server (its file imports `built-server.ts`) gets `npm run build`
 * first, once, when the built command is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BUILT_COMMAND, ROOT } from './built-server.js';

const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};

interface Bench {
  name: string;
  script: string;
  /** The bench's file, from `tsx bench/<file>.ts`, when its script runs one. */
  file?: string;
}

const benches: Bench[] = Object.entries(scripts).flatMap(([script, command]) => {
  const file = /^tsx (bench\/[\w-]+\.ts)\b/.exec(command)?.[1];
  if (file === 'bench/run.ts') return [];
  if (script.startsWith('bench:')) return [{ name: script.slice('bench:'.length), script, file }];
  return file ? [{ name: script, script, file }] : [];
});
const names = benches.map((bench) => bench.name);

// The leading bench names choose; from the first other argument on, everything is passed on
// (`http policy --rounds 3` gives http `policy --rounds 3`).
const args = process.argv.slice(2);
const firstOther = args.findIndex((arg) => !names.includes(arg));
const chosenNames = firstOther === -1 ? args : args.slice(0, firstOther);
const passOn = firstOther === -1 ? [] : args.slice(firstOther);
if (chosenNames.length === 0 && passOn.length > 0 && !passOn[0].startsWith('-')) {
  console.error(`Unknown bench ${passOn[0]}; the benches are: ${names.join(', ')}`);
  process.exit(2);
}
const chosen = chosenNames.length ? benches.filter((bench) => chosenNames.includes(bench.name)) : benches;

function npm(...npmArgs: string[]): number {
  const result = spawnSync('npm', npmArgs, { cwd: ROOT, stdio: 'inherit' });
  return result.status ?? 1;
}

const needsBuild = (bench: Bench) =>
  bench.file !== undefined &&
  existsSync(path.join(ROOT, bench.file)) &&
  readFileSync(path.join(ROOT, bench.file), 'utf8').includes('./built-server.js');
if (chosen.some(needsBuild) && !existsSync(BUILT_COMMAND)) {
  console.log(`\n=== build (${path.relative(ROOT, BUILT_COMMAND)} is missing) ===\n`);
  if (npm('run', 'build') !== 0) {
    console.error('\nThe build failed: no bench was run.');
    process.exit(1);
  }
}

for (const [i, bench] of chosen.entries()) {
  console.log(`\n=== ${bench.name} (${i + 1}/${chosen.length}): npm run ${bench.script} ===\n`);
  const status = npm('run', '--silent', bench.script, '--', ...passOn);
  if (status !== 0) {
    console.error(`\nBench ${bench.name} failed (exit ${status}).`);
    process.exit(1);
  }
}
