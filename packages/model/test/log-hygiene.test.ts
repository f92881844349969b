import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createModel } from '@charms/model';
import { escapeControl } from '@charms/model/internal';
import { ModelStore } from '../src/model-store.js';
import { temporaryFolders } from './helpers/temp-folders.js';

// What a hook prints reaches the model's log masked, and the log prints safely.

const here = dirname(fileURLToPath(import.meta.url));
const charmsBin = join(here, '..', '..', 'cli', 'bin', 'charms.mjs');
const folder = temporaryFolders('charms-logs');

/** A shell charm whose config-changed prints its secrets on stdout and stderr, and logs `message` through juju-log. */
function leakyCharm(): string {
  const dir = join(folder(), 'leaky');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metadata.yaml'), 'name: leaky\nsummary: prints its secrets\nseries: [kubernetes]\n');
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'options:',
      '  db-password: {type: string, default: "hunter2-default"}',
      '  api-token: {type: string, default: ""}',
      '  colour: {type: string, default: "blue-ish"}',
      '  message: {type: string, default: ""}',
      '  access-key: {type: string, default: "minio-id"}',
      '  api-key: {type: string, default: "sk-api-default"}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'dispatch'),
    `#!/bin/sh
[ "$JUJU_HOOK_NAME" = config-changed ] || exit 0
leader-set shared-key=leader-secret-value
state-set note=state-secret-value
echo "password is $(config-get db-password), token $(config-get api-token), colour $(config-get colour)"
echo "leader $(leader-get shared-key) state $(state-get note)" >&2
echo "access $(config-get access-key) api $(config-get api-key)"
msg=$(config-get message)
[ -z "$msg" ] || juju-log -- "$msg"
`,
    { mode: 0o755 },
  );
  return dir;
}

describe('log hygiene', () => {
  it('masks secrets in what a hook prints on stdout and stderr, as juju-log output is masked', async () => {
    const model = await createModel({ dir: folder() });
    await model.deploy(leakyCharm(), { config: { 'api-token': 'tok-123456' } });
    const text = model.log('leaky/0').map((entry) => `${entry.level} ${entry.message}`).join('\n');
    expect(text).toContain('DEBUG password is ***, token ***, colour blue-ish');
    expect(text).toContain('WARNING leader *** state ***');
    // The runtime's rule (isSecretSetting): api-key is a secret, access-key an identifier.
    expect(text).toContain('DEBUG access minio-id api ***');
    for (const secret of ['hunter2-default', 'tok-123456', 'leader-secret-value', 'state-secret-value', 'sk-api-default']) expect(text).not.toContain(secret);
  });

  it('escapes control characters when charms log and charms timeline print', async () => {
    const model = await createModel({ dir: folder() });
    await model.deploy(leakyCharm(), { config: { message: 'real\n2026-01-01T00:00:00.000Z INFO    other/0 install: forged \u001b[31mred' } });
    const log = spawnSync(process.execPath, [charmsBin, '--model', model.dir, 'log', 'leaky/0'], { encoding: 'utf8' });
    expect(log.status).toBe(0);
    expect(log.stdout).not.toContain('\u001b');
    expect(log.stdout.split('\n').filter((line) => line.includes('forged'))).toEqual([
      expect.stringMatching(/leaky\/0 config-changed: real\\n2026-01-01T00:00:00\.000Z INFO {4}other\/0 install: forged \\x1b\[31mred$/),
    ]);
    const timeline = spawnSync(process.execPath, [charmsBin, '--model', model.dir, 'timeline', 'leaky/0'], { encoding: 'utf8' });
    expect(timeline.status).toBe(0);
    expect(timeline.stdout).not.toContain('\u001b');
    expect(timeline.stdout).toContain('juju-log -- real\\n2026');
    expect(escapeControl('a\tb\u0000c\u2028')).toBe('a\\tb\\x00c\\u2028');
  }, 60_000);

  it('skips a torn last line of log.jsonl and timeline.jsonl with a warning, and appends on a new line', async () => {
    const warnings: string[] = [];
    const store = new ModelStore(folder(), { onWarning: (message) => warnings.push(message) });
    store.prepare();
    const entry = { time: 't', unit: 'a/0', hook: 'install', level: 'INFO', message: 'one' };
    store.log(entry);
    store.timeline({ time: 't', unit: 'a/0', hook: 'install', kind: 'hook-start' });
    // What a command killed in the middle of an append leaves.
    appendFileSync(store.file('log.jsonl'), '{"time":"t","unit":"a/0","hoo');
    appendFileSync(store.file('timeline.jsonl'), '{"time":"t","un');
    expect(store.readLog()).toEqual([entry]);
    expect(store.readTimeline()).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/log\.jsonl:2: skipped a damaged line/), expect.stringMatching(/timeline\.jsonl:2: skipped a damaged line/)]);
    // The next command (it takes the lock) appends whole lines after the torn one.
    const release = await store.lock();
    store.log({ ...entry, message: 'two' });
    store.timeline({ time: 't', unit: 'a/0', hook: 'install', kind: 'commit', exitCode: 0 });
    await release();
    expect(store.readLog().map((e) => e.message)).toEqual(['one', 'two']);
    expect(store.readTimeline().map((e) => e.kind)).toEqual(['hook-start', 'commit']);
    expect(readFileSync(store.file('log.jsonl'), 'utf8').split('\n')).toHaveLength(4);
  });
});
