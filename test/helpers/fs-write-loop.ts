/** Child process for the fs crash test: rewrites records until SIGKILLed (argument: data folder). */
import { createFsKv } from '../../server/store/fs-kv.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: fs-write-loop.ts <dataDir>');
const kv = createFsKv(dataDir);
// Large enough that a write takes several syscalls, so a kill can land between them.
const filler = 'x'.repeat(256 * 1024);
let round = 0;
let announced = false;
for (;;) {
  round += 1;
  await Promise.all(Array.from({ length: 4 }, (_, i) => kv.set(`crash:record-${i}`, { round, i, filler })));
  if (!announced) {
    announced = true;
    process.stdout.write('writing\n');
  }
}
