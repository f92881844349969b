import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryHookTools, type MemoryRelation } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore } from '@charms/reactive';
import { runCharmHook, syntheticHookContext, type CharmContext } from '@charms/runtime';

// On real Juju only the runtime can mask what a hook logs: juju-log's argv and the hook's
// stdout reach `juju debug-log` as they are. A consumer of MinIO's object-storage relation
// receives `secret-key`; the local model masks relation values under secret keys
// (isSecretSetting of @charms/manifest/queries) in a hook's output, and the runtime must
// mask them the same way in every line, whichever way it goes.

const SECRET_KEY = 'minio123-secret';
const PASSWORD = 's3cr3t-pw';

afterEach(() => void vi.restoreAllMocks());

/** The consumer's relation to MinIO: minio/0 published these settings. */
function storageRelation(settings: Record<string, string>): Record<string, MemoryRelation> {
  return { 'storage:1': { endpoint: 'storage', app: 'minio', units: { 'minio/0': settings } } };
}

/**
 * Runs storage-relation-changed of a consumer charm whose handler is `report`, with
 * DEBUG lines through stdout as in a hook process; returns what reached juju-log's argv
 * and stdout, and the tools (to read what the hook published).
 */
async function logged(relations: Record<string, MemoryRelation>, report: (ctx: CharmContext) => Promise<void>, store = new MemoryUnitStateStore(), leaderSettings: Record<string, string> = {}) {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((data) => {
    written.push(String(data));
    return true;
  });
  const tools = new MemoryHookTools({ unitName: 'app/0', relations, leaderSettings });
  const charm = () => createReactor().handle({ id: 'app:report', when: ['endpoint.storage.joined'] }, (context) => report(context as CharmContext));
  const { exitCode } = await runCharmHook({
    juju: syntheticHookContext('storage-relation-changed', { unitName: 'app/0', relationId: 'storage:1', remoteUnit: 'minio/0' }),
    tools,
    store,
    charm,
    metadata: { name: 'app', requires: { storage: { interface: 'object-storage' } } } as never,
    debugToStdout: true,
  });
  expect(exitCode).toBe(0);
  const jujuLogArgv = tools.calls.filter((call) => call.tool === 'juju-log').map((call) => call.argv);
  return { jujuLogArgv, stdout: written.join(''), tools };
}

/** Logs `message` at INFO (through juju-log) and at DEBUG (through stdout). */
async function logTwice(ctx: CharmContext, message: string): Promise<void> {
  await ctx.log(message, 'INFO');
  await ctx.log(message, 'DEBUG');
}

describe('relation and leader values under secret keys in what a hook logs', () => {
  it("MinIO's secret-key received over object-storage reads *** in juju-log and stdout; its access-key is shown", async () => {
    const relations = storageRelation({ 'access-key': 'minio', 'secret-key': SECRET_KEY, service: 'minio' });
    const { jujuLogArgv, stdout } = await logged(relations, async (ctx) => {
      const storage = ctx.endpoint('storage');
      await storage.load();
      const minio = storage.allJoinedUnits.at(0)!;
      await logTwice(ctx, `connecting as ${String(minio.receivedRaw.get('access-key'))} with ${String(minio.receivedRaw.get('secret-key'))}`);
    });
    expect(`${stdout}\n${jujuLogArgv.flat().join('\n')}`).not.toContain(SECRET_KEY);
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'connecting as minio with ***']);
    expect(stdout.split('\n')).toContain('storage:1: connecting as minio with ***');
  });

  it('a password a handler reads with relation-get itself is masked, JSON-encoded or decoded', async () => {
    const relations = storageRelation({ password: JSON.stringify(PASSWORD), host: '"db.local"' });
    const { jujuLogArgv, stdout } = await logged(relations, async (ctx) => {
      const bag = await ctx.tools.relationGet({ relationId: 'storage:1', unit: 'minio/0' });
      await logTwice(ctx, `raw ${bag['password']} decoded ${String(JSON.parse(bag['password']!))} host ${bag['host']}`);
    });
    expect(`${stdout}\n${jujuLogArgv.flat().join('\n')}`).not.toContain(PASSWORD);
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'raw *** decoded *** host "db.local"']);
    expect(stdout.split('\n')).toContain('storage:1: raw *** decoded *** host "db.local"');
  });

  it('a password this unit publishes is masked from its assignment on, before the relation-set that sends it', async () => {
    const { jujuLogArgv, stdout, tools } = await logged(storageRelation({ service: 'minio' }), async (ctx) => {
      const storage = ctx.endpoint('storage');
      await storage.load();
      storage.relations.at(0)!.toPublish.set('password', PASSWORD);
      await logTwice(ctx, `published password ${PASSWORD}`);
    });
    expect(tools.world.relations['storage:1']!.local).toEqual({ password: JSON.stringify(PASSWORD) });
    expect(`${stdout}\n${jujuLogArgv.flat().join('\n')}`).not.toContain(PASSWORD);
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'published password ***']);
    expect(stdout.split('\n')).toContain('storage:1: published password ***');
  });

  it('a departed unit\'s password, kept in unit state from an earlier hook, is masked too', async () => {
    const departed = [{ relation: 'storage:1', unit_name: 'minio/1', data: { password: PASSWORD, service: 'minio' } }];
    const store = new MemoryUnitStateStore({ flags: {}, data: { 'reactive.endpoints.departed.storage': departed } });
    const { jujuLogArgv } = await logged(
      storageRelation({ service: 'minio' }),
      async (ctx) => {
        const gone = ctx.endpoint('storage').allDepartedUnits.at(0)!;
        await logTwice(ctx, `${gone.unitName} had ${String(gone.receivedRaw.get('password'))}`);
      },
      store,
    );
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'minio/1 had ***']);
  });

  it('a value under a key that names no secret is shown as it is', async () => {
    const relations = storageRelation({ 'access-key': 'minio-admin', service: 'minio', 'public-key': 'ssh-ed25519 AAAA' });
    const { jujuLogArgv } = await logged(relations, async (ctx) => {
      const storage = ctx.endpoint('storage');
      await storage.load();
      const received = storage.allJoinedUnits.at(0)!.receivedRaw;
      await logTwice(ctx, `${String(received.get('access-key'))} ${String(received.get('public-key'))}`);
    });
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'minio-admin ssh-ed25519 AAAA']);
  });

  it("leader settings under secret keys, read with leader-get or set with leader-set, are masked; others are shown (the model masks the same)", async () => {
    const relations = storageRelation({ service: 'minio' });
    const { jujuLogArgv, stdout } = await logged(
      relations,
      async (ctx) => {
        const settings = await ctx.tools.leaderGet();
        await ctx.tools.leaderSet({ 'root-password': 'fresh-root-pw' });
        await logTwice(ctx, `admin ${settings['admin-password']} root fresh-root-pw host ${settings.hostname}`);
      },
      new MemoryUnitStateStore(),
      { 'admin-password': 'leader-pw-123', hostname: 'minio.local' },
    );
    expect(`${stdout}\n${jujuLogArgv.flat().join('\n')}`).not.toMatch(/leader-pw-123|fresh-root-pw/);
    expect(jujuLogArgv).toContainEqual(['--log-level', 'INFO', '--', 'admin *** root *** host minio.local']);
    expect(stdout.split('\n')).toContain('storage:1: admin *** root *** host minio.local');
  });
});
