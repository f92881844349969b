// The least any conformance runner in Node does with a fixture: read its file and parse
// its JSON, nothing else. `pnpm bench` times it on the 10,000-handler fixture and on a
// trivial one, to show what part of the runner's extra time no engine work can remove.
import { readFileSync } from 'node:fs';

JSON.parse(readFileSync(process.argv[2], 'utf8'));
