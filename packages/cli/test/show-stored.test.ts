import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCharm } from '@charms/build';
import { LocalModel } from '@charms/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliModels, type CliModel } from './helpers/cli-model.js';

// charms show-stored (issue 18): what a unit has committed, as jhack show-stored shows an
// ops charm's stored state on Juju. The fixture charm's install sets a flag with a value
// and unit data (a secret-named key, and a value holding the secret `password` option),
// and leaves its onlyOnce mark;
// its config-changed writes a controller state key.

const here = dirname(fileURLToPath(import.meta.url));
const TIMEOUT = 180_000;
const newModel = cliModels('show-stored');
let built: string;

/** The charms command against a model with the fixture charm deployed as `stored`, with `hookEnv` for its hooks. */
async function deployed(hookEnv: Record<string, string> = {}): Promise<CliModel['charms']> {
  const { dir, charms } = newModel();
  const model = await LocalModel.open({ dir, hookEnv });
  await model.deploy(built, { config: { greeting: 'bonjour' } });
  return charms;
}

beforeAll(async () => {
  // Built into a folder of its own beside the models, removed with them.
  built = (await buildCharm({ charmDir: join(here, 'fixtures', 'stored-charm'), outDir: join(newModel().dir, 'stored') })).outDir;
}, TIMEOUT);

describe('charms show-stored', { timeout: TIMEOUT }, () => {
  let charms: CliModel['charms'];
  beforeAll(async () => {
    charms = await deployed();
  }, TIMEOUT);

  it('shows a flag with its value, the unit data, the config snapshot and controller state, secrets as ***', async () => {
    const result = await charms('show-stored', 'stored/0');
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
    const json = await charms('show-stored', 'stored/0', '--format', 'json');
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
    const yaml = await charms('show-stored', 'stored/0', '--format', 'yaml');
    expect(parse(yaml.stdout)).toEqual(view);
  });

  it('refuses an application or an unknown unit, naming the units there are', async () => {
    const app = await charms('show-stored', 'stored');
    expect(app.status).toBe(1);
    expect(app.stderr).toBe('error: "stored" is not a unit name: state is kept per unit, name one such as stored/0\n');
    const unknown = await charms('show-stored', 'stored/7');
    expect(unknown.stderr).toBe('error: unit "stored/7" not found (units: stored/0); name a unit such as stored/0\n');
  });
});

describe('charms show-stored with the file store', { timeout: TIMEOUT }, () => {
  it('reads the state file in the unit\'s charm folder when the runtime keeps state there (CHARMS_STATE_STORE=file)', async () => {
    const charms = await deployed({ CHARMS_STATE_STORE: 'file' });
    const json = await charms('show-stored', 'stored/0', '--format', 'json');
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
