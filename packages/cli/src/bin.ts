// The executable entry of `charms` (bin/charms.mjs imports it): runs the program with the
// command line and sets the exit status. Everything else is in program.ts.
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
