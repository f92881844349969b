import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore } from '@charms/reactive';
import { runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';

// On real Juju only the runtime can mask what a hook logs: juju-log's argv and the hook's
// stdout reach `juju debug-log` as they are. The options it masks are the local model's
// (isSecretSetting of @charms/manifest/queries), key compounds such as api-key included.

const API_KEY = 'sk-live-0123456789';
const SECRET_KEY = 'minio123-secret';
const configYaml = {
  options: {
    'api-key': { type: 'string' as const, default: '' },
    'access-key': { type: 'string' as const, default: 'minio' },
    'secret-key': { type: 'string' as const, default: '' },
  },
};

afterEach(() => void vi.restoreAllMocks());

/** Runs update-status of a charm whose handler logs `message` at each level; returns what reached juju-log and stdout. */
async function logged(message: (config: Readonly<Record<string, unknown>>) => string, handlerId = 'app:report') {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((data) => {
    written.push(String(data));
    return true;
  });
  const tools = new MemoryHookTools({ unitName: 'app/0', config: { 'api-key': API_KEY, 'access-key': 'minio', 'secret-key': SECRET_KEY } });
  const charm = () =>
    createReactor().handle({ id: handlerId, when: ['config.set.access-key'] }, async (context) => {
      const ctx = context as CharmContext;
      for (const level of ['DEBUG', 'INFO', 'WARNING'] as const) await ctx.log(message(ctx.config), level);
    });
  const { exitCode } = await runCharmHook({
    juju: syntheticHookContext('update-status', { unitName: 'app/0' }),
    tools,
    store: new MemoryUnitStateStore(),
    charm,
    metadata: { name: 'app' } as never,
    configYaml,
    debugToStdout: true,
  });
  expect(exitCode).toBe(0);
  const jujuLogArgv = tools.calls.filter((call) => call.tool === 'juju-log').map((call) => call.argv);
  return { jujuLogArgv, stdout: written.join('') };
}

describe('secret config options in what a hook logs', () => {
  it("an api-key option's value never reaches juju-log's argv or stdout unmasked", async () => {
    const { jujuLogArgv, stdout } = await logged((config) => `calling the API with ${String(config['api-key'])} as ${String(config['access-key'])}`);
    expect(jujuLogArgv.flat().join('\n')).not.toContain(API_KEY);
    expect(stdout).not.toContain(API_KEY);
    // INFO and WARNING through juju-log, DEBUG through stdout: each masked, the access key (an identifier) not.
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'calling the API with *** as minio']);
    expect(jujuLogArgv).toContainEqual(['--log-level', 'WARNING', '--', 'calling the API with *** as minio']);
    const debugLines = [...stdout.split('\n'), ...jujuLogArgv.filter((argv) => argv[1] === 'DEBUG').map((argv) => argv.at(-1))];
    expect(debugLines).toContain('calling the API with *** as minio');
  });

  // Issue 20: the line once kept to juju-log because it holds a config value; the model
  // masked MinIO's access key there, and no longer does (neither masks an identifier).
  it("a DEBUG line holding a config value that is no secret goes through stdout: MinIO's queued line with its access key", async () => {
    const { jujuLogArgv, stdout } = await logged(() => 'ready', 'minio:Minio.ready');
    expect(stdout.split('\n')).toContain('reactive: other phase, iteration 0: queued minio:Minio.ready');
    expect(jujuLogArgv.filter((argv) => argv[1] === 'DEBUG')).toEqual([]);
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'Invoking reactive handler: minio:Minio.ready']);
  });

  it('a secret-key value is masked the same way, a line holding both keys whole', async () => {
    const { jujuLogArgv, stdout } = await logged((config) => `keys ${String(config['secret-key'])}/${String(config['api-key'])}`);
    expect(`${stdout}\n${jujuLogArgv.flat().join('\n')}`).not.toMatch(/minio123|sk-live/);
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'keys ***/***']);
  });
});
