import { afterEach, describe, expect, it } from 'vitest';
import type { CharmMetadata } from '@charms/manifest';
import type { AppRecord, ModelRecord, UnitRecord } from '@charms/model';
import { modelStatus, relationStatus, statusTable, type StatusJson, type UnitStatusJson } from '@charms/model/status';
import {
  APPLICATION_KEYS,
  APPLICATION_REQUIRED_KEYS,
  CONTROLLER_KEYS,
  expectedStatus,
  FORMATTED_STATUS_KEYS,
  MODEL_KEYS,
  STATUS_INFO_KEYS,
  UNIT_KEYS,
} from './fixtures/juju-status-2.9.js';

// `charms status` against what Juju 2.9 prints: the JSON key by key (fixture written from
// cmd/juju/status/formatted.go and formatter.go), the tabular form against
// cmd/juju/status/output_tabular.go and the expectations of Juju's own tests of it
// (status_internal_test.go, TestFormatTabularCAASModel and the two after it).

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000).toISOString();

function unit(name: string, workload: [string, string, number], agent: [string, string, number], extra: Partial<UnitRecord> = {}): UnitRecord {
  return {
    name,
    workload: { status: workload[0], message: workload[1], since: at(workload[2]) },
    agent: { status: agent[0], message: agent[1], since: at(agent[2]) },
    queue: [],
    controllerState: {},
    openedPorts: [],
    ...extra,
  };
}

function app(name: string, fields: Partial<AppRecord>): AppRecord {
  return { name, charm: name, charmDir: `charms/${name}`, revision: 1, config: {}, resources: {}, units: [], nextUnit: 0, leaderSettings: {}, ...fields };
}

/** wordpress (pod spec applied; wordpress/1's db-relation-changed failed) and mariadb (stateful). */
function record(): ModelRecord {
  return {
    version: 1,
    clock: 60 * 60_000,
    hookCounter: 0,
    nextRelationId: 2,
    apps: {
      wordpress: app('wordpress', {
        revision: 3,
        leader: 'wordpress/0',
        version: '5.8.1',
        podSpec: { spec: 'version: 3\n', revision: 1 },
        units: [
          unit('wordpress/0', ['active', 'ready', 30], ['idle', '', 31]),
          unit('wordpress/1', ['active', 'ready', 32], ['error', 'hook failed: "db-relation-changed"', 40], {
            error: { hook: 'db-relation-changed', relationId: 0, remoteUnit: 'mariadb/0' },
            queue: [{ hook: 'db-relation-changed', relationId: 0, remoteUnit: 'mariadb/0' }],
          }),
        ],
      }),
      mariadb: app('mariadb', {
        leader: 'mariadb/0',
        version: 'docker.io/library/mariadb:10.6',
        units: [unit('mariadb/0', ['active', '', 20], ['idle', '', 21], { openedPorts: ['3306/TCP'] })],
      }),
    },
    relations: [
      {
        id: 0,
        interface: 'mysql',
        ends: [
          { app: 'wordpress', endpoint: 'db', role: 'requires' },
          { app: 'mariadb', endpoint: 'server', role: 'provides' },
        ],
        data: {},
        joined: {},
      },
      { id: 1, interface: 'wp-cluster', ends: [{ app: 'wordpress', endpoint: 'cluster', role: 'peers' }, { app: 'wordpress', endpoint: 'cluster', role: 'peers' }], data: {}, joined: {} },
    ],
  };
}

const METADATA: Record<string, CharmMetadata> = {
  wordpress: { name: 'wordpress', series: ['kubernetes'], requires: { db: { interface: 'mysql' } }, peers: { cluster: { interface: 'wp-cluster' } } },
  mariadb: { name: 'mariadb', series: ['kubernetes'], provides: { server: { interface: 'mysql' } }, storage: { database: { type: 'filesystem', location: '/var/lib/mysql' } } },
};
const metadataOf = (a: AppRecord) => METADATA[a.name]!;

/** Whether `keys` appear in the order of `order`, and only keys from it. */
function inOrder(keys: string[], order: string[]): boolean {
  const positions = keys.map((k) => order.indexOf(k));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!));
}

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

describe('charms status --format json', () => {
  const status = modelStatus(record(), metadataOf, { utc: true });

  it('prints what Juju 2.9 prints for the same model, value by value', () => {
    expect(status).toEqual(expectedStatus((pattern) => expect.stringMatching(pattern)));
  });

  it('has the top-level keys of formattedStatus in its order: machines and controller present, no relations', () => {
    expect(Object.keys(status)).toEqual(['model', 'machines', 'applications', 'controller']);
    expect(inOrder(Object.keys(status), FORMATTED_STATUS_KEYS)).toBe(true);
    expect(status.machines).toEqual({});
    expect(Object.keys(status.controller)).toEqual(CONTROLLER_KEYS);
  });

  it('has the model keys of modelStatus, in order', () => {
    expect(Object.keys(status.model)).toEqual(['name', 'type', 'controller', 'cloud', 'region', 'version', 'model-status', 'sla']);
    expect(inOrder(Object.keys(status.model), MODEL_KEYS)).toBe(true);
  });

  it('has the application keys of applicationStatus, in order, the ones without omitempty always', () => {
    for (const [name, application] of Object.entries(status.applications)) {
      const keys = Object.keys(application);
      expect(inOrder(keys, APPLICATION_KEYS), `${name}: ${keys.join(', ')}`).toBe(true);
      for (const key of APPLICATION_REQUIRED_KEYS) expect(keys, name).toContain(key);
    }
  });

  it('has the unit keys of unitStatus and the status keys of statusInfoContents, in order', () => {
    const units = Object.values(status.applications).flatMap((a) => Object.values(a.units)) as UnitStatusJson[];
    for (const u of units) {
      expect(inOrder(Object.keys(u), UNIT_KEYS), Object.keys(u).join(', ')).toBe(true);
      for (const info of [u['workload-status'], u['juju-status']]) expect(inOrder(Object.keys(info), STATUS_INFO_KEYS)).toBe(true);
    }
    for (const a of Object.values(status.applications)) expect(inOrder(Object.keys(a['application-status']), STATUS_INFO_KEYS)).toBe(true);
  });

  it('writes maps with their keys sorted, as Go does', () => {
    expect(Object.keys(status.applications)).toEqual(['mariadb', 'wordpress']);
    expect(Object.keys(status.applications.wordpress!['endpoint-bindings'])).toEqual(['', 'cluster', 'db']);
  });

  it('leaves out an empty message and relations an application does not have (omitempty)', () => {
    const lonely = record();
    lonely.relations = [];
    const json = modelStatus(lonely, metadataOf, { utc: true });
    expect(json.applications.mariadb!.relations).toBeUndefined();
    expect(json.applications.mariadb!.units['mariadb/0']!['workload-status']).not.toHaveProperty('message');
    expect(JSON.stringify(json)).not.toContain('"message":""');
  });

  it('renders the statuses the record holds: an executing agent, the workload an agent set before install', () => {
    const state = record();
    state.apps.mariadb!.units[0] = unit('mariadb/0', ['maintenance', 'installing charm software', 1], ['executing', 'running install hook', 2]);
    const u = modelStatus(state, metadataOf, { utc: true }).applications.mariadb!.units['mariadb/0']!;
    expect(u['workload-status']).toEqual({ current: 'maintenance', message: 'installing charm software', since: '2026-01-01 00:01:00Z' });
    expect(u['juju-status']).toEqual({ current: 'executing', message: 'running install hook', since: '2026-01-01 00:02:00Z', version: '2.9.44' });
  });

  it('shows a failed hook recorded on the workload (error, agent idle) as it is', () => {
    const state = record();
    state.apps.wordpress!.units[1] = unit('wordpress/1', ['error', 'hook failed: "install"', 5], ['idle', '', 5], { error: { hook: 'install' } });
    const u = modelStatus(state, metadataOf, { utc: true }).applications.wordpress!.units['wordpress/1']!;
    expect(u['workload-status']).toEqual({ current: 'error', message: 'hook failed: "install"', since: '2026-01-01 00:05:00Z' });
    expect(u['juju-status']).toEqual({ current: 'idle', since: '2026-01-01 00:05:00Z', version: '2.9.44' });
  });

  it('prints times as Juju does: local time with its offset by default, ISO-like UTC with --utc', () => {
    process.env.TZ = 'Australia/Brisbane'; // +10:00 all year
    const local = modelStatus(record(), metadataOf);
    expect(local.applications.wordpress!.units['wordpress/0']!['workload-status'].since).toBe('01 Jan 2026 10:30:00+10:00');
    expect(local.controller.timestamp).toBe('11:00:00+10:00');
    process.env.TZ = 'UTC';
    const utcZone = modelStatus(record(), metadataOf);
    expect(utcZone.applications.wordpress!.units['wordpress/0']!['workload-status'].since).toBe('01 Jan 2026 00:30:00Z');
    expect(utcZone.controller.timestamp).toBe('01:00:00Z');
  });
});

describe('charms status (tabular)', () => {
  it('prints the Model, App, Unit and (with --relations) Relation sections as output_tabular.go does', () => {
    const status = modelStatus(record(), metadataOf, { utc: true });
    expect(statusTable(status, relationStatus(record()))).toBe(
      [
        'Model  Controller  Cloud/Region     Version  SLA          Timestamp',
        'local  charms      local/localhost  2.9.44   unsupported  01:00:00',
        '',
        'App        Version               Status  Scale  Charm      Channel  Rev  Address        Exposed  Message',
        'mariadb    library/mariadb:10.6  active      1  mariadb               1                 no       ',
        'wordpress  5.8.1                 error       2  wordpress             3  10.152.183.10  no       hook failed: "db-relation-changed" for mariadb:server',
        '',
        'Unit          Workload  Agent  Address    Ports     Message',
        'mariadb/0*    active    idle   10.1.2.10  3306/TCP  ',
        'wordpress/0*  active    idle   10.1.1.10            ready',
        'wordpress/1   error     idle   10.1.1.11            hook failed: "db-relation-changed" for mariadb:server',
        '',
        'Relation provider  Requirer           Interface   Type     Message',
        'mariadb:server     wordpress:db       mysql       regular  ',
        'wordpress:cluster  wordpress:cluster  wp-cluster  peer     ',
        '',
      ].join('\n'),
    );
    expect(statusTable(status)).not.toContain('Relation provider');
  });

  it('marks what an executing agent does, and a relation being removed', () => {
    const state = record();
    state.apps.mariadb!.units[0] = unit('mariadb/0', ['maintenance', 'installing charm software', 1], ['executing', 'running install hook', 2]);
    state.relations[0]!.dying = true;
    const table = statusTable(modelStatus(state, metadataOf, { utc: true }), relationStatus(state));
    expect(table).toContain('mariadb/0*    maintenance  executing  10.1.2.10         (install) installing charm software\n');
    expect(table).toContain('mariadb:server     wordpress:db       mysql       regular  broken  \n');
  });

  // The next three are Juju's own expectations (status_internal_test.go), given the same
  // formatted status.
  const caas = (applications: Record<string, Partial<StatusJson['applications'][string]>>) =>
    ({
      model: { name: '', type: 'caas', controller: '', cloud: '', region: '', version: '', sla: '' },
      machines: {},
      applications,
      controller: {},
    }) as unknown as StatusJson;
  const u = (agent: string, workload: string, extra: Partial<UnitStatusJson> = {}) => ({ 'juju-status': { current: agent }, 'workload-status': { current: workload }, ...extra });
  const a = (fields: Record<string, unknown>) => ({ 'charm-name': '', 'charm-origin': '', charm: '', 'charm-rev': 0, exposed: false, 'application-status': { current: '' }, ...fields });

  it('TestFormatTabularCAASModel', () => {
    const status = caas({
      foo: a({ scale: 2, address: '54.32.1.2', version: 'user/image:tag', units: { 'foo/0': u('allocating', 'active'), 'foo/1': u('running', 'active', { address: '10.0.0.1', 'open-ports': ['80/TCP'] }) } }),
    });
    expect(statusTable(status)).toBe(`
Model  Controller  Cloud/Region  Version
                                 

App  Version         Status  Scale  Charm  Channel  Rev  Address    Exposed  Message
foo  user/image:tag            1/2                    0  54.32.1.2  no       

Unit   Workload  Agent       Address   Ports   Message
foo/0  active    allocating                    
foo/1  active    running     10.0.0.1  80/TCP  
`.slice(1));
  });

  it('TestFormatTabularCAASModelTruncatedVersion', () => {
    const status = caas({
      foo: a({ scale: 1, address: '54.32.1.2', version: 'registry.jujucharms.com/fred/mysql/mysql_image:tag@sha256:3046a3dc76ee23417f889675bce3a4c08f223b87d1e378eeea3e7490cd27fbc5', units: { 'foo/0': u('allocating', 'active') } }),
      bar: a({ charm: 'bar', 'charm-origin': 'charmhub', scale: 1, address: '54.32.1.3', version: 'registry.jujucharms.com/fredbloggsthethrid/bar/image:0.5', units: { 'bar/0': u('allocating', 'active') } }),
      baz: a({ scale: 1, address: '54.32.1.4', version: 'docker.io/reallyreallyreallyreallyreallylong/image:0.6', units: { 'baz/0': u('allocating', 'active') } }),
    });
    expect(statusTable(status)).toBe(`
Model  Controller  Cloud/Region  Version
                                 

App  Version                         Status  Scale  Charm  Channel  Rev  Address    Exposed  Message
bar  res:image:0.5                             0/1                    0  54.32.1.3  no       
baz  .../image:0.6                             0/1                    0  54.32.1.4  no       
foo  .../mysql/mysql_image:tag@3...            0/1                    0  54.32.1.2  no       

Unit   Workload  Agent       Address  Ports  Message
bar/0  active    allocating                  
baz/0  active    allocating                  
foo/0  active    allocating                  
`.slice(1));
  });

  it('TestFormatTabularStatusMessage', () => {
    const status = caas({
      foo: a({ scale: 1, address: '54.32.1.2', 'application-status': { current: '', message: 'Error: ImagePullBackOff' }, units: { 'foo/0': u('allocating', 'waiting', { address: '10.0.0.1', 'open-ports': ['80/TCP'] }) } }),
    });
    expect(statusTable(status)).toBe(`
Model  Controller  Cloud/Region  Version
                                 

App  Version  Status  Scale  Charm  Channel  Rev  Address    Exposed  Message
foo                     0/1                    0  54.32.1.2  no       Error: ImagePullBackOff

Unit   Workload  Agent       Address   Ports   Message
foo/0  waiting   allocating  10.0.0.1  80/TCP  
`.slice(1));
  });
});
