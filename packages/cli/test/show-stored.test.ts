import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCharm } from '@charms/build';
import { LocalModel } from '@charms/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCommand } from './helpers/run-command.js';

// charms show-stored (issue 18): what a unit has committed, as jhack show-stored shows an
// ops charm's stored state on Juju. The fixture charm's install sets a flag with a value
// and unit data (a secret-named key, and a value holding the secret `password` option),
// and leaves its onlyOnce mark;
// its config-changed writes a controller state key.

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'bin', 'charms.mjs');
const TIMEOUT = 180_000;
const dirs: string[] = [];
let built: string;

function temporary(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function charms(dir: string, ...args: string[]) {
  return runCommand(process.execPath, [bin, '--model', dir, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 90_000 });
}

/** A model with the fixture charm deployed as `stored`, with `hookEnv` for its hooks. */
async function deployed(hookEnv: Record<string, string> = {}): Promise<string> {
  const dir = temporary('show-stored-');
  const model = await LocalModel.open({ dir, hookEnv });
  await model.deploy(built, { config: { greeting: 'bonjour' } });
  return dir;
}

beforeAll(async () => {
  built = (await buildCharm({ charmDir: join(here, 'fixtures', 'stored-charm'), outDir: join(temporary('stored-charm-'), 'stored') })).outDir;
}, TIMEOUT);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('charms show-stored', { timeout: TIMEOUT }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await deployed();
  }, TIMEOUT);

  it('shows a flag with its value, the unit data, the config snapshot and controller state, secrets as ***', async () => {
    const result = await charms(dir, 'show-stored', 'stored/0');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        // A Kubernetes charm keeps its state on the controller (runtime: ControllerStateStore).
        'stored/0: committed state in controller state key charms.unit-state',
        '',
        'flags (with their values)',
        '  stored.greeted  {"to":"bonjour","times":1}',
        '',
        'unit data (ctx.kv and the layers)',
        '  api-token  "***"',
        '  dsn        "postgres://app:***@db/app"',
        '  visits     1',
        '',
        'framework data (reactive.*: onlyOnce marks, dataChanged hashes, triggers)',
        '  reactive.invoked.stored:Stored.remember  true',
        '',
        'config snapshot (what config.changed.* compares against)',
        '  greeting  "bonjour"',
        '  password  "***"',
        '',
        'controller state (state-get, besides the unit state)',
        '  last-greeting  bonjour',
        '',
      ].join('\n'),
    );
    expect(result.stdout).not.toContain('s3cret-pass');
    expect(result.stdout).not.toContain('tok-0123456789');
  });

  it('prints the documented shape with --format json and yaml', async () => {
    const json = await charms(dir, 'show-stored', 'stored/0', '--format', 'json');
    const view = JSON.parse(json.stdout);
    expect(view).toEqual({
      unit: 'stored/0',
      store: 'controller state key charms.unit-state',
      committed: true,
      flags: { 'stored.greeted': { to: 'bonjour', times: 1 } },
      'unit-data': { 'api-token': '***', dsn: 'postgres://app:***@db/app', visits: 1 },
      'framework-data': { 'reactive.invoked.stored:Stored.remember': true },
      'config-snapshot': { greeting: 'bonjour', password: '***' },
      'controller-state': { 'last-greeting': 'bonjour' },
    });
    const yaml = await charms(dir, 'show-stored', 'stored/0', '--format', 'yaml');
    expect(parse(yaml.stdout)).toEqual(view);
  });

  it('refuses an application or an unknown unit, naming the units there are', async () => {
    const app = await charms(dir, 'show-stored', 'stored');
    expect(app.status).toBe(1);
    expect(app.stderr).toBe('error: "stored" is not a unit name: state is kept per unit, name one such as stored/0\n');
    const unknown = await charms(dir, 'show-stored', 'stored/7');
    expect(unknown.stderr).toBe('error: unit "stored/7" not found (units: stored/0); name a unit such as stored/0\n');
  });
});

describe('charms show-stored with the file store', { timeout: TIMEOUT }, () => {
  it('reads the state file in the unit\'s charm folder when the runtime keeps state there (CHARMS_STATE_STORE=file)', async () => {
    const dir = await deployed({ CHARMS_STATE_STORE: 'file' });
    const json = await charms(dir, 'show-stored', 'stored/0', '--format', 'json');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({
      store: join('units', 'stored-0', 'charm', '.unit-state.json'),
      committed: true,
      flags: { 'stored.greeted': { to: 'bonjour', times: 1 } },
      'unit-data': { 'api-token': '***', visits: 1 },
      'controller-state': { 'last-greeting': 'bonjour' },
    });
  });
});
