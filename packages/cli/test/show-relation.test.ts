import { LocalModel } from '@charms/model';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliModels, modelFixture, type CliModel } from './helpers/cli-model.js';

// charms show-relation (issue 18): both sides of a relation, each application databag and
// unit databag, as jhack show-relation shows them on Juju. The model's shell fixture
// charm runs the hook tools its `probe` option lists: application a's units write their
// unit databag with relation-set, and its leader the application databag with --app.

const charm = modelFixture('tools-charm');
const TIMEOUT = 180_000;
const newModel = cliModels('show-relation');
let charms: CliModel['charms'];

beforeAll(async () => {
  const cli = newModel();
  charms = cli.charms;
  const model = await LocalModel.open({ dir: cli.dir });
  const probe = ['relation-set -r $(relation-ids db) greeting=hello db-password=hunter2-long', 'relation-set --app -r $(relation-ids db) shared=yes'].join('\n');
  await model.deploy(charm, { app: 'a', units: 2, config: { probe, 'probe-hooks': 'update-status' } });
  await model.deploy(charm, { app: 'b' });
  await model.relate('a:db', 'b:backend');
  await model.run('a/0', 'update-status');
}, TIMEOUT);

describe('charms show-relation', { timeout: TIMEOUT }, () => {
  it('shows both sides after a relation-set: the application databag the leader wrote, each unit databag, a secret-named key as ***', async () => {
    const result = await charms('show-relation', 'a', 'b');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        'relation 2: a:db ↔ b:backend, interface tools-db',
        '',
        'a:db (provides, leader a/0)',
        '  application data',
        '    shared           yes',
        '  a/0',
        '    db-password      ***',
        '    egress-subnets   10.1.1.10/32',
        '    greeting         hello',
        '    ingress-address  10.1.1.10',
        '    private-address  10.1.1.10',
        '  a/1',
        '    egress-subnets   10.1.1.11/32',
        '    ingress-address  10.1.1.11',
        '    private-address  10.1.1.11',
        '',
        'b:backend (requires, leader b/0)',
        '  application data',
        '    (empty)',
        '  b/0',
        '    egress-subnets   10.1.2.10/32',
        '    ingress-address  10.1.2.10',
        '    private-address  10.1.2.10',
        '',
      ].join('\n'),
    );
    expect(result.stdout).not.toContain('hunter2-long');
  });

  it('prints the documented shape with --format json and yaml, the side named first first', async () => {
    const json = await charms('show-relation', 'b:backend', 'a:db', '--format', 'json');
    expect(json.status).toBe(0);
    const view = JSON.parse(json.stdout);
    expect(view).toEqual({
      id: 2,
      interface: 'tools-db',
      dying: false,
      sides: [
        {
          app: 'b',
          endpoint: 'backend',
          role: 'requires',
          leader: 'b/0',
          'application-data': {},
          'unit-data': { 'b/0': { 'egress-subnets': '10.1.2.10/32', 'ingress-address': '10.1.2.10', 'private-address': '10.1.2.10' } },
        },
        {
          app: 'a',
          endpoint: 'db',
          role: 'provides',
          leader: 'a/0',
          'application-data': { shared: 'yes' },
          'unit-data': {
            'a/0': { 'db-password': '***', 'egress-subnets': '10.1.1.10/32', greeting: 'hello', 'ingress-address': '10.1.1.10', 'private-address': '10.1.1.10' },
            'a/1': { 'egress-subnets': '10.1.1.11/32', 'ingress-address': '10.1.1.11', 'private-address': '10.1.1.11' },
          },
        },
      ],
    });
    const yaml = await charms('show-relation', 'b:backend', 'a:db', '--format', 'yaml');
    expect(parse(yaml.stdout)).toEqual(view);
  });

  it('finds a relation by its id, or by one end when only one relation has it, a peer relation as one side', async () => {
    const byId = await charms('show-relation', '2', '--format', 'json');
    expect(JSON.parse(byId.stdout).sides.map((s: { app: string }) => s.app)).toEqual(['a', 'b']);
    // jhack's option for it.
    expect((await charms('show-relation', '-n', '2')).stdout).toMatch(/^relation 2: a:db ↔ b:backend/);
    const byEnd = await charms('show-relation', 'b:backend', '--format', 'json');
    expect(JSON.parse(byEnd.stdout).id).toBe(2);
    const peer = await charms('show-relation', 'a:cluster');
    expect(peer.stdout).toMatch(/^relation 0: a:cluster \(peer\), interface tools-cluster\n\na:cluster \(peers, leader a\/0\)\n {2}application data\n {4}\(empty\)\n {2}a\/0\n/);
  });

  it('refuses an end or id that names no relation, or several, listing the relations there are', async () => {
    const several = await charms('show-relation', 'a');
    expect(several.status).toBe(1);
    expect(several.stderr).toBe('error: a fits several relations: name both ends with their endpoints, or give the id (0: a:cluster (peer); 2: a:db b:backend)\n');
    const none = await charms('show-relation', 'a', 'c');
    expect(none.stderr).toBe('error: no relation joins a c (relations: 0: a:cluster (peer); 1: b:cluster (peer); 2: a:db b:backend)\n');
    expect((await charms('show-relation', '9')).stderr).toContain('no relation has id 9 (relations: 0: a:cluster');
    expect((await charms('show-relation', 'a:db:x')).stderr).toContain('"a:db:x" names no relation end');
    expect((await charms('show-relation', 'a', '-n', '2')).stderr).toContain('not both');
    expect((await charms('show-relation')).stderr).toContain('name the relation by its ends');
  });
});
