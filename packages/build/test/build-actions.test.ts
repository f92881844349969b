import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharm, configTypes, layerIndexFor, packCharm, resolveLayers } from '@charms/build';
import { charmActionProblems } from '@charms/build/internal';
import { FakeJuju } from '../../hooktools/test/fixtures/fake-juju.js';
import { runCommand } from '../../cli/test/helpers/run-command.js';
import { zipEntries } from './helpers/zip.js';

// A charm with two actions of its own (backup succeeds with nested results, broken
// fails) and one from its layer (rotate), built and run as Juju 2.9 runs actions of a
// charm with dispatch (docs/explanation/juju-actions-and-storage.md §3.1).

const TIMEOUT = 120_000;
const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'with-actions');

function copyFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'with-actions-'));
  cpSync(fixture, root, { recursive: true });
  return join(root, 'charm');
}

const out = () => join(mkdtempSync(join(tmpdir(), 'built-')), 'keeper');

/**
 * Runs one action of a built charm under fake Juju tools, with the variables the 2.9
 * uniter sets (JUJU_ACTION_NAME, JUJU_ACTION_UUID, an empty JUJU_HOOK_NAME); `via` is
 * the file Juju starts: dispatch (with JUJU_DISPATCH_PATH) or the `actions/<name>` script.
 */
async function runAction(charmDir: string, name: string, params: Record<string, unknown>, via: 'dispatch' | 'script') {
  const juju = new FakeJuju({ config: {}, relations: {}, actionParams: params });
  const env: Record<string, string> = {
    JUJU_UNIT_NAME: 'keeper/0',
    JUJU_MODEL_NAME: 'test',
    JUJU_CHARM_DIR: charmDir,
    JUJU_ACTION_NAME: name,
    JUJU_ACTION_UUID: '2',
    JUJU_HOOK_NAME: '',
  };
  if (via === 'dispatch') env.JUJU_DISPATCH_PATH = `actions/${name}`;
  const file = via === 'dispatch' ? join(charmDir, 'dispatch') : join(charmDir, 'actions', name);
  const result = await runCommand(file, [], { cwd: charmDir, timeout: 60_000, env: juju.env(env) });
  return { ...result, juju, tools: juju.calls().map((call) => [call.tool, ...call.argv].join(' ')) };
}

describe('charms build with actions', { timeout: TIMEOUT }, () => {
  let built: string;
  let summary: Awaited<ReturnType<typeof buildCharm>>;
  beforeAll(async () => {
    built = out();
    summary = await buildCharm({ charmDir: join(fixture, 'charm'), outDir: built });
  }, TIMEOUT);

  it('merges actions.yaml over the layers and builds every declared action, the layer’s too', () => {
    expect(summary.actions).toEqual(['backup', 'broken', 'rotate']);
    expect(readFileSync(join(built, 'actions.yaml'), 'utf8')).toMatch(/^rotate:\n[\s\S]*\nbackup:\n[\s\S]*\nbroken:\n/);
  });

  it('writes an executable actions/<name> for each, the same text for all, and no action source', () => {
    const texts = summary.actions.map((name) => readFileSync(join(built, 'actions', name), 'utf8'));
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain('actions/${0##*/}');
    for (const name of summary.actions) expect(statSync(join(built, 'actions', name)).mode & 0o777).toBe(0o755);
    expect(existsSync(join(built, 'actions', 'backup.ts'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(built, '.build.manifest'), 'utf8'));
    expect(manifest.signatures['actions/rotate']).toEqual(['build', 'dynamic', expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('packs the actions/<name> files, executable', async () => {
    const packed = await packCharm({ builtDir: built, output: join(mkdtempSync(join(tmpdir(), 'packed-')), 'keeper.charm') });
    const entries = await zipEntries(packed.file);
    expect(Object.keys(entries).filter((path) => path.startsWith('actions'))).toEqual(['actions.yaml', 'actions/backup', 'actions/broken', 'actions/rotate']);
    expect(entries['actions/backup']).toBe(0o755);
  });

  it('hands the actions to main by name in the bundle', () => {
    const bundle = readFileSync(join(built, 'dist', 'charm.cjs'), 'utf8');
    expect(bundle).toMatch(/(const|var) actions = \{ "backup": \w+, "broken": \w+, "rotate": \w+ \};/);
    expect(bundle).toContain('main(charm, { files, actions })');
  });

  it('runs a succeeding action through dispatch: nested results, its log line, exit 0', async () => {
    const result = await runAction(built, 'backup', { target: '/srv', compress: true }, 'dispatch');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.tools).toContain('action-log -- backing up to /srv');
    expect(result.juju.world().action).toMatchObject({ results: { backup: { path: '/srv/keeper.tar.gz', files: '3' } } });
    expect(result.juju.world().action?.failed).toBeUndefined();
  });

  it('runs a failing action through its actions/<name> script: action-fail with its message', async () => {
    const result = await runAction(built, 'broken', {}, 'script');
    expect(result.tools).toContain('action-fail -- the disk is full');
    expect(result.juju.world().action?.failed).toBe('the disk is full');
    // Juju 2.9 commits an action's changes only when it succeeds (§3.4): the flag the
    // failed action set is not in the unit state, the one backup set is.
    const state = readFileSync(join(built, '.unit-state.json'), 'utf8');
    expect(state).toContain('keeper.backed-up');
    expect(state).not.toContain('keeper.broken');
  });

  it('runs the layer’s action through its script too', async () => {
    const result = await runAction(built, 'rotate', {}, 'script');
    expect(result.status).toBe(0);
    expect(result.juju.world().action).toMatchObject({ results: { rotated: 'yes' } });
  });
});

describe('action modules and actions.yaml that do not match', { timeout: TIMEOUT }, () => {
  it('lint: an entry with no module (at its key) and a module with no entry (at its first line)', () => {
    const charm = copyFixture();
    writeFileSync(join(charm, 'actions.yaml'), `${readFileSync(join(charm, 'actions.yaml'), 'utf8')}restore:\n  description: Not written yet.\n`);
    writeFileSync(join(charm, 'actions', 'orphan.ts'), 'export default () => {};\n');
    const problems = charmActionProblems(resolveLayers(charm, layerIndexFor(charm)));
    expect(problems.map(({ file, line, col, code }) => ({ file, line, col, code }))).toEqual([
      { file: join(charm, 'actions.yaml'), line: 27, col: 1, code: 'ACTION_NO_MODULE' },
      { file: join(charm, 'actions', 'orphan.ts'), line: 1, col: 1, code: 'ACTION_NO_ENTRY' },
    ]);
  });

  it('the fixture itself has none', () => {
    expect(charmActionProblems(resolveLayers(join(fixture, 'charm'), layerIndexFor(join(fixture, 'charm'))))).toEqual([]);
  });

  it('build: a module with no entry is left out, an entry with no module gets no actions/<name>', async () => {
    const charm = copyFixture();
    writeFileSync(join(charm, 'actions', 'orphan.ts'), 'export default () => {};\n');
    rmSync(join(charm, 'actions', 'broken.ts'));
    const target = out();
    const built = await buildCharm({ charmDir: charm, outDir: target });
    expect(built.actions).toEqual(['backup', 'rotate']);
    expect(existsSync(join(target, 'actions', 'orphan'))).toBe(false);
    expect(existsSync(join(target, 'actions', 'broken'))).toBe(false);
  });

  it('the charm’s own actions/<name>.ts replaces its layer’s', async () => {
    const charm = copyFixture();
    writeFileSync(join(charm, 'actions', 'rotate.ts'), "import type { ActionContext } from '@charms/runtime';\nexport default (ctx: ActionContext) => ctx.setResult('rotated', 'by the charm');\n");
    const target = out();
    await buildCharm({ charmDir: charm, outDir: target, typecheck: false });
    const result = await runAction(target, 'rotate', {}, 'dispatch');
    expect(result.juju.world().action).toMatchObject({ results: { rotated: 'by the charm' } });
  });

  it('an action module is type-checked with the handlers', async () => {
    const charm = copyFixture();
    writeFileSync(join(charm, 'actions', 'broken.ts'), "import type { ActionContext } from '@charms/runtime';\nexport default (ctx: ActionContext) => ctx.fail(42);\n");
    const error = await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHECK_FAILED' });
    expect((error as { problems: { file: string; line: number }[] }).problems[0]).toMatchObject({ file: join(charm, 'actions', 'broken.ts'), line: 2 });
  });
});

describe('charms types with actions', () => {
  it('writes ActionParams: required and defaulted params non-optional, nested objects, enums', () => {
    const text = configTypes(join(fixture, 'charm'));
    expect(text).toContain('export interface ActionParams {');
    expect(text).toContain(
      [
        '  /** Back up the data to a target. */',
        '  readonly "backup": {',
        '    /** Where the backup goes. */',
        '    readonly "target": string;',
        '    /** Default: true. */',
        '    readonly "compress": boolean;',
        '    readonly "retention"?: {',
        '      readonly "days": number;',
        '      readonly "tags"?: readonly string[];',
        '    };',
        '    readonly "mode"?: "full" | "incremental";',
        '  };',
      ].join('\n'),
    );
    expect(text).toContain('  readonly "rotate": Readonly<Record<string, unknown>>;');
  });

  it('types an action through ActionParams: the build type-checks its params against the schema', { timeout: TIMEOUT }, async () => {
    const charm = copyFixture();
    writeFileSync(join(charm, 'charm-config.ts'), configTypes(charm));
    const typed = (body: string) =>
      writeFileSync(
        join(charm, 'actions', 'backup.ts'),
        `import type { ActionContext } from '@charms/runtime';\nimport type { ActionParams } from '../charm-config.js';\nexport default (ctx: ActionContext<ActionParams['backup']>) => {\n  ${body}\n};\n`,
      );
    typed("const days: number | undefined = ctx.params.retention?.days; const on: boolean = ctx.params.compress; ctx.setResult('path', ctx.params.target.toUpperCase() + String(days) + String(on));");
    await buildCharm({ charmDir: charm, outDir: out() });
    // target is a required string; mode is an enum, so another string is a type error.
    typed("const mode: 'full' | 'incremental' | undefined = ctx.params.mode; const wrong: 'other' = ctx.params.mode; ctx.setResult('mode', String(mode) + wrong);");
    const error = await buildCharm({ charmDir: charm, outDir: out() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHECK_FAILED' });
    expect((error as { problems: { file: string; line: number; code: string }[] }).problems).toEqual([
      expect.objectContaining({ file: join(charm, 'actions', 'backup.ts'), line: 4, code: 'TS2322' }),
    ]);
  });
});
