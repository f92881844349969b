import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createModel } from '@charms/model';
import { temporaryFolders } from './helpers/temp-folders.js';

// A hook's output reaches the log in whole lines, as Juju's hook logger reads them
// (worker/common/charmrunner/logger.go: a bufio.Reader over the pipe), however the pipe
// cuts it: the runtime writes its DEBUG lines there (issue 20).

const folder = temporaryFolders('hook-output');

/** A shell charm whose install writes lines in pieces, with pauses between them. */
function choppyCharm(): string {
  const dir = join(folder(), 'choppy');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metadata.yaml'), 'name: choppy\nsummary: writes its lines in pieces\nseries: [jammy]\n');
  writeFileSync(
    join(dir, 'dispatch'),
    `#!/bin/sh
[ "$JUJU_HOOK_NAME" = install ] || exit 0
printf 'first half'; sleep 0.3; printf ' second half\\nwhole line\\n'
printf '\\303'; sleep 0.3; printf '\\251t\\303\\251\\n'
{ printf 'warning in'; sleep 0.3; printf ' two pieces\\n'; } >&2
printf 'no newline at the end'
`,
    { mode: 0o755 },
  );
  return dir;
}

describe("a hook's output", () => {
  it('is logged a whole line at a time, a line cut between two writes (or inside a UTF-8 character) as one, and the last line without its newline too', async () => {
    const model = await createModel({ dir: folder() });
    await model.deploy(choppyCharm());
    const lines = model.log('choppy/0').filter((entry) => entry.hook === 'install' && entry.level !== 'INFO').map((entry) => `${entry.level} ${entry.message}`);
    expect(lines).toEqual(['DEBUG first half second half', 'DEBUG whole line', 'DEBUG été', 'WARNING warning in two pieces', 'DEBUG no newline at the end']);
  }, 60_000);
});
