// The executable entry of `charms` (bin/charms.cjs runs it): runs the program with the
// command line and sets the exit status. Everything else is in program.ts. No top-level
// await: the bundle made of this entry is CommonJS (build-bundle.mjs).
import { run } from './program.js';

void run(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
});
