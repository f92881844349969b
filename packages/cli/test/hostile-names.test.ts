import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { ManifestError, type ManifestProblem } from '@charms/manifest';
import { LocalModel } from '@charms/model';
import { checkConfig, runHookTool, type ToolContext } from '@charms/model/testing';
import { HOOK_SCRIPT } from '@charms/build/testing';
import { collectConfigKey, collectPair, configKeyProblem, nameArgument } from '../src/commands/name-arguments.js';
import { runCommand } from './helpers/run-command.js';

// Issue 15 item 4: hostile names fed to every place a name enters (metadata.yaml and
// actions.yaml at build and at deploy, --app, --resource, config keys, resource-get).
// Each is refused with an error that quotes it, and nothing is written outside the model
// or the build folder: the whole temporary tree is listed before and after.

const here = dirname(fileURLToPath(import.meta.url));
const charmsBin = join(here, '..', 'bin', 'charms.mjs');

const HOSTILE = [
  '../x',
  '../../../../elsewhere/x',
  'x$(touch INJECTED)',
  'x`touch INJECTED`',
  'x;touch INJECTED',
  'a b',
  'a\nb',
  'a\tb',
  'a\0b',
  'ünïcode',
  'Upper',
  '9lives',
  'x'.repeat(300),
  '-x',
  '.',
  '..',
  '',
];

/** Every file and folder under `root`, relative, sorted: the snapshot compared before and after. */
function listing(root: string, skip: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (skip.includes(rel)) continue;
      found.push(rel);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk(root);
  return found.sort();
}

/** A temporary tree deep enough that `../../../..` from the build or model folder stays inside it. */
function tree(): { root: string; work: string } {
  const root = mkdtempSync(join(tmpdir(), 'hostile-'));
  const work = join(root, 'a', 'b', 'c', 'd');
  mkdirSync(work, { recursive: true });
  return { root, work };
}

function manifestProblems(error: unknown): ManifestProblem[] {
  expect(error).toBeInstanceOf(ManifestError);
  return [...(error as ManifestError).problems];
}

const yamlKey = (name: string) => JSON.stringify(name);

/** metadata.yaml with `name` in one place; the other places hold good names. */
const PLACES: Record<string, (name: string) => string> = {
  'charm name': (name) => `name: ${yamlKey(name)}\n`,
  provides: (name) => `name: good\nprovides:\n  ${yamlKey(name)}: {interface: http}\n`,
  requires: (name) => `name: good\nrequires:\n  ${yamlKey(name)}: {interface: http}\n`,
  peers: (name) => `name: good\npeers:\n  ${yamlKey(name)}: {interface: cluster}\n`,
  storage: (name) => `name: good\nstorage:\n  ${yamlKey(name)}: {type: filesystem}\n`,
  resources: (name) => `name: good\nresources:\n  ${yamlKey(name)}: {type: oci-image}\n`,
  containers: (name) => `name: good\ncontainers:\n  ${yamlKey(name)}: {}\n`,
};

describe('hostile names in metadata.yaml and actions.yaml', () => {
  it('charms build refuses each at its file:line:col and writes nothing anywhere', { timeout: 60_000 }, async () => {
    const { root, work } = tree();
    const charm = join(work, 'charm');
    mkdirSync(charm);
    const outDir = join(work, 'out', 'build');
    const before = listing(root);
    for (const [place, metadata] of Object.entries(PLACES)) {
      for (const name of HOSTILE) {
        writeFileSync(join(charm, 'metadata.yaml'), metadata(name));
        const error = await buildCharm({ charmDir: charm, outDir }).catch((e: unknown) => e);
        const problems = manifestProblems(error);
        const line = place === 'charm name' ? 1 : 3;
        expect(problems, `${place} ${JSON.stringify(name)}`).toContainEqual(
          expect.objectContaining({ file: join(charm, 'metadata.yaml'), line, code: 'INVALID_NAME' }),
        );
        // The message quotes the name (JSON, so a newline cannot start a forged line).
        expect((error as Error).message).toContain(JSON.stringify(name).slice(0, 30));
        expect((error as Error).message.split('\n')).toHaveLength(problems.length);
      }
    }
    writeFileSync(join(charm, 'metadata.yaml'), 'name: good\n');
    for (const name of HOSTILE.filter((n) => n !== '9lives')) {
      writeFileSync(join(charm, 'actions.yaml'), `${yamlKey(name)}: {description: x}\n`);
      const problems = manifestProblems(await buildCharm({ charmDir: charm, outDir }).catch((e: unknown) => e));
      expect(problems, JSON.stringify(name)).toEqual([expect.objectContaining({ file: join(charm, 'actions.yaml'), line: 1, col: 1, code: 'INVALID_NAME' })]);
    }
    expect(listing(root, ['a/b/c/d/charm/metadata.yaml', 'a/b/c/d/charm/actions.yaml'])).toEqual(before);
  });

  it('deploy refuses a built charm whose metadata has a hostile resource or endpoint name, writing nothing outside the model', async () => {
    const { root, work } = tree();
    const built = join(work, 'built');
    mkdirSync(built);
    writeFileSync(join(built, 'dispatch'), '#!/bin/sh\ntouch "$(dirname "$0")/../../../../../RAN"\n', { mode: 0o755 });
    const model = await LocalModel.open({ dir: join(work, 'model') });
    const before = listing(root, ['a/b/c/d/model']);
    for (const metadata of [PLACES.resources!('../../../../../escaped-res'), PLACES.provides!('x$(touch INJECTED)'), PLACES.requires!('../../../../elsewhere/x')]) {
      writeFileSync(join(built, 'metadata.yaml'), metadata);
      const problems = manifestProblems(await model.deploy(built).catch((e: unknown) => e));
      expect(problems).toEqual([expect.objectContaining({ line: 3, col: 3, code: 'INVALID_NAME' })]);
    }
    expect(listing(root, ['a/b/c/d/model', 'a/b/c/d/built/metadata.yaml'])).toEqual(before.filter((p) => p !== 'a/b/c/d/built/metadata.yaml'));
    expect(model.snapshot().apps).toEqual({});
  });
});

describe('the generated hooks build no shell line from a name', () => {
  it('every hook file is the same text, naming no hook', () => {
    expect(HOOK_SCRIPT).not.toMatch(/install|relation|storage/);
  });

  it('a hook file with a hostile name runs nothing and passes its name on exactly', async () => {
    const { root, work } = tree();
    mkdirSync(join(work, 'hooks'));
    writeFileSync(join(work, 'dispatch'), '#!/bin/sh\nprintf %s "$JUJU_DISPATCH_PATH" > "$(dirname "$0")/seen"\n', { mode: 0o755 });
    const names = ['x$(touch INJECTED)-relation-joined', 'x`touch INJECTED`-relation-joined', 'x";touch INJECTED;"-relation-joined', 'a b\nc-relation-joined'];
    for (const name of names) {
      const hook = join(work, 'hooks', name);
      writeFileSync(hook, HOOK_SCRIPT);
      chmodSync(hook, 0o755);
      const result = await runCommand(hook, [], { cwd: work, env: { PATH: process.env.PATH } });
      expect(result.status, result.stderr).toBe(0);
      expect(readFileSync(join(work, 'seen'), 'utf8')).toBe(`hooks/${name}`);
    }
    expect(listing(root).filter((p) => p.includes('INJECTED') && !p.includes('hooks/'))).toEqual([]);
    expect(existsSync(join(work, 'INJECTED'))).toBe(false);
  });
});

describe('hostile names from the command line', () => {
  it('--app, --resource, attach-resource and config keys refuse every hostile name, quoting it', () => {
    for (const name of HOSTILE) {
      expect(() => nameArgument('application')(name), JSON.stringify(name)).toThrow(/application name .* (is not valid|characters long)/);
      expect(() => collectPair('--resource', 'resource')(`${name}=minio/minio:1`, []), JSON.stringify(name)).toThrow(name === '' ? /--resource must look like key=value/ : /--resource: resource name/);
      // Upper case and a leading digit may be option names (Juju has no rule for them):
      // the model refuses those that the charm does not declare.
      if (configKeyProblem(name) === undefined) {
        expect(['Upper', '9lives']).toContain(name);
        expect(() => checkConfig({ options: { port: { type: 'int' } } } as never, { [name]: '1' })).toThrow(`unknown option "${name}"`);
        continue;
      }
      expect(() => collectPair('config', 'config')(`${name}=1`, []), JSON.stringify(name)).toThrow(name === '' ? /config must look like key=value/ : /config option name/);
      expect(() => collectConfigKey(name, []), JSON.stringify(name)).toThrow(/config option name/);
    }
  });

  it('the charms command refuses them before it opens the model or builds, exit 1, nothing written', { timeout: 60_000 }, async () => {
    const { root, work } = tree();
    const model = join(work, 'model');
    const before = listing(root);
    const charms = (...args: string[]) => runCommand(process.execPath, [charmsBin, '--model', model, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1' }, timeout: 50_000 });
    const results = await Promise.all([
      charms('deploy', join(work, 'nowhere'), '--app', '../../../../elsewhere/x'),
      charms('deploy', join(work, 'nowhere'), '--resource', '../../../../../escaped-res=minio/minio:1'),
      charms('config', 'kv', 'x$(touch INJECTED)=1'),
      charms('config', 'kv', '--reset', 'a b'),
    ]);
    for (const result of results) {
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/is not valid: (use|option names are)/);
    }
    expect(existsSync(model)).toBe(false);
    expect(listing(root)).toEqual(before);
  });
});

describe('resource-get never builds a path from a name that is not one', () => {
  function context(resource: string, writes: string[]): ToolContext {
    const unit = { name: 'kv/0', workload: { status: 'maintenance', message: '', since: '' }, agent: { status: 'executing', message: '', since: '' }, queue: [], controllerState: {}, openedPorts: [] };
    const app = { name: 'kv', charm: 'kv', charmDir: 'charms/kv', revision: 1, config: {}, resources: { [resource]: { image: 'r/i:1', username: 'u', password: 'p', revision: 1 } }, units: [unit], nextUnit: 1, leader: 'kv/0', leaderSettings: {} };
    return {
      model: { version: 1, apps: { kv: app }, relations: [], nextRelationId: 0, clock: 0, hookCounter: 0 },
      app,
      unit,
      event: { hook: 'install' },
      pending: { relationSets: [], ports: [], state: {}, storage: [] }, modelDir: tmpdir(),
      configYaml: undefined,
      // As if the metadata check had been skipped: the tool must refuse on its own.
      metadata: { resources: { [resource]: { type: 'oci-image' } }, endpoints: [] },
      now: () => '2026-01-01T00:00:00.000Z',
      writeResource: (name: string) => {
        writes.push(name);
        return `/model/units/kv-0/resources/${name}/content.yaml`;
      },
      log: () => undefined,
      leaderSettingsChanged: () => undefined,
    } as unknown as ToolContext;
  }

  it('answers not found for a hostile name, and the model writes nothing', () => {
    for (const name of HOSTILE.filter((n) => n !== '')) {
      const writes: string[] = [];
      const result = runHookTool('resource-get', [name], '', context(name, writes));
      // "-x" reads as a flag: a usage error (exit 2), as jujuc answers it.
      expect(result.exitCode, JSON.stringify(name)).toBe(name === '-x' ? 2 : 1);
      expect(result.stderr).toMatch(name === '-x' ? /option provided but not defined/ : /not found/);
      expect(result.stderr.trimEnd()).not.toContain('\n');
      expect(writes).toEqual([]);
    }
    const writes: string[] = [];
    expect(runHookTool('resource-get', ['oci-image'], '', context('oci-image', writes))).toMatchObject({ exitCode: 0, stdout: '/model/units/kv-0/resources/oci-image/content.yaml' });
    expect(writes).toEqual(['oci-image']);
  });
});
