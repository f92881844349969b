import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runCommand } from '../../../cli/test/helpers/run-command.js';
import { FakeJuju, type FakeWorld } from '../../../hooktools/test/fixtures/fake-juju.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, '..', 'fixtures', 'test-charm');
const repoRoot = join(here, '..', '..', '..', '..');

/**
 * Bundles the test charm the way a built charm is bundled (one ESM file with the
 * workspace packages inside) into a fresh copy of its directory.
 */
export async function buildTestCharm(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'test-charm-'));
  cpSync(fixture, dir, { recursive: true, filter: (source) => !source.includes(`${fixture}/src`) });
  await build({
    entryPoints: [join(fixture, 'src', 'charm.ts')],
    outfile: join(dir, 'dist', 'charm.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    // Handler ids default to function names, which bundling must keep.
    keepNames: true,
    nodePaths: [join(repoRoot, 'node_modules')],
    // Some dependencies (yaml) ship CommonJS for Node; give the ESM bundle a require().
    banner: { js: "import { createRequire as __charmsRequire } from 'node:module'; const require = __charmsRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  return dir;
}

/** The result of one hook run through `dispatch`. */
export interface HookRunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A built charm directory plus fake Juju tools, to run hooks as Juju would. */
export class CharmUnderTest {
  readonly juju: FakeJuju;

  constructor(
    readonly charmDir: string,
    world: FakeWorld = {},
  ) {
    this.juju = new FakeJuju(world);
  }

  /**
   * Runs `dispatch` for one hook in a real child process, then settles the fake's
   * transaction. The test process waits without blocking (the fake Juju tools are answered
   * by a worker thread either way); await each hook before the next, or before reading
   * `commandLines()`. A hook still running after a minute is killed (status null), so a
   * hang fails the test.
   */
  async hook(hookName: string, extraEnv: Record<string, string> = {}): Promise<HookRunResult> {
    this.juju.clearCalls();
    const result = await runCommand(join(this.charmDir, 'dispatch'), [], {
      cwd: this.charmDir,
      timeout: 60_000,
      env: this.juju.env({
        JUJU_DISPATCH_PATH: `hooks/${hookName}`,
        JUJU_UNIT_NAME: 'test-charm/0',
        JUJU_MODEL_NAME: 'test',
        JUJU_MODEL_UUID: '00000000-0000-0000-0000-000000000000',
        JUJU_CHARM_DIR: this.charmDir,
        JUJU_CONTEXT_ID: `test-charm/0-${hookName}-1`,
        JUJU_VERSION: '2.9.44',
        ...extraEnv,
      }),
    });
    this.juju.endHook(result.status === 0);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Every tool call of the last hook as one command line each. */
  commandLines(): string[] {
    return this.juju.calls().map((call) => [call.tool, ...call.argv].join(' ') + (call.stdin === undefined ? '' : ` <<< ${call.stdin}`));
  }
}
