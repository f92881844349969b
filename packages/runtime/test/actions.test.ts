import { describe, expect, it } from 'vitest';
import { MemoryHookTools } from '@charms/hooktools';
import { createReactor, MemoryUnitStateStore, type Reactor } from '@charms/reactive';
import { ActionError, main, runCharmAction, syntheticHookContext, type ActionContext, type ActionFunction } from '@charms/runtime';
import { hookInMemory } from '@charms/runtime/testing';

// The rules quoted are Juju 2.9's, from docs/explanation/juju-actions-and-storage.md.

const metadata = { name: 'demo' };
const configYaml = { options: { 'admin-password': { type: 'string' as const, default: '' }, port: { type: 'int' as const, default: 9000 } } };
const SECRET = 'hunter2-very-secret';

function setup(params: Record<string, unknown> = {}, flags: string[] = []) {
  const tools = new MemoryHookTools({ unitName: 'demo/0', config: { 'admin-password': SECRET, port: 9000 }, action: { params } });
  const store = new MemoryUnitStateStore({ flags: Object.fromEntries(flags.map((f) => [f, null])), data: {} });
  const handled: string[] = [];
  // One handler that would run in every dispatch: an action must not run it.
  const charm = (): Reactor =>
    createReactor()
      .handle({ id: 'always', whenNot: 'demo.never' }, () => void handled.push('always'))
      .handle({ id: 'after-backup', when: 'demo.backup.done' }, (ctx) => {
        handled.push('after-backup');
        ctx.clearFlag('demo.backup.done');
      });
  const action = (name: string, actions: Record<string, ActionFunction>, id = '2') =>
    runCharmAction({ juju: syntheticHookContext(name, { unitName: 'demo/0', action: { id } }), tools, store, charm, metadata, configYaml, actions });
  return { tools, store, handled, charm, action };
}

const committedFlags = (store: MemoryUnitStateStore) => Object.keys(store.peek()?.flags ?? {}).sort();

describe('actions: params and results', () => {
  it('reads the params once through action-get --format=json (defaults are Juju-side, §1 InsertDefaults)', async () => {
    const { tools, action } = setup({ target: 'nightly', options: { compress: true, level: 9 } });
    let seen: unknown;
    const result = await action('backup', {
      backup: (ctx: ActionContext<{ target: string; options: { level: number } }>) => {
        seen = { target: ctx.params.target, level: ctx.params.options.level, name: ctx.actionName, id: ctx.actionId, hook: ctx.hookName };
      },
    });
    expect(result).toMatchObject({ exitCode: 0, ok: true });
    expect(seen).toEqual({ target: 'nightly', level: 9, name: 'backup', id: '2', hook: 'backup' });
    expect(tools.calls.filter((c) => c.tool === 'action-get')).toEqual([{ tool: 'action-get', argv: ['--format=json'] }]);
  });

  it('nests dotted result keys as action-set a.b=c does, and sends values as strings (§3.2)', async () => {
    const { tools, action } = setup();
    const result = await action('backup', {
      backup: (ctx) => {
        ctx.setResult('backup.path', '/srv/backups/1.tar');
        ctx.setResult('backup.size', 3);
        ctx.setResult('meta', { checked: true, by: { unit: 'demo/0' } });
        expect(ctx.results).toEqual({ backup: { path: '/srv/backups/1.tar', size: '3' }, meta: { checked: 'true', by: { unit: 'demo/0' } } });
      },
    });
    const expected = { backup: { path: '/srv/backups/1.tar', size: '3' }, meta: { checked: 'true', by: { unit: 'demo/0' } } };
    expect(result.results).toEqual(expected);
    expect(tools.world.action?.results).toEqual(expected);
    expect(tools.calls.filter((c) => c.tool === 'action-set').map((c) => c.argv)).toEqual([
      ['backup.path=/srv/backups/1.tar'],
      ['backup.size=3'],
      ['meta.checked=true', 'meta.by.unit=demo/0'],
    ]);
  });

  it('refuses a result key action-set would reject (lowercase, hyphens; stdout/stderr reserved) and fails the action', async () => {
    const { tools, store, action } = setup();
    const result = await action('backup', {
      backup: (ctx) => {
        ctx.setFlag('demo.never');
        ctx.setResult('Backup_Path', '/x');
      },
    });
    expect(result).toMatchObject({ exitCode: 1, ok: false, committed: false, error: { code: 'INVALID_RESULT_KEY', action: 'backup' } });
    expect(tools.calls.some((c) => c.tool === 'action-set')).toBe(false);
    expect(store.commits).toBe(0);
    const reserved = await setup().action('backup', { backup: (ctx) => ctx.setResult('stdout', 'x') });
    expect(reserved.error).toMatchObject({ code: 'INVALID_RESULT_KEY' });
  });
});

describe('actions: state commit and failure', () => {
  it('does not run reactive dispatch: no handler runs in an action (as a Python action script without main())', async () => {
    const { handled, action } = setup();
    await action('backup', { backup: (ctx) => ctx.setFlag('demo.backup.done') });
    expect(handled).toEqual([]);
  });

  it('commits flags and unit data when the action succeeds, and the next hook reacts to the flag', async () => {
    const { tools, store, handled, charm, action } = setup({}, ['demo.installed']);
    const result = await action('backup', {
      backup: (ctx) => {
        ctx.setFlag('demo.backup.done');
        ctx.kv.set('demo.last-backup', '1.tar');
      },
    });
    expect(result).toMatchObject({ exitCode: 0, ok: true, committed: true });
    expect(store.commits).toBe(1);
    expect(committedFlags(store)).toEqual(['demo.backup.done', 'demo.installed']);
    expect(store.peek()?.data).toMatchObject({ 'demo.last-backup': '1.tar' });

    tools.world.action = undefined;
    const next = await hookInMemory({ hookName: 'update-status', unitName: 'demo/0' }, { tools, store, metadata, charm });
    expect(next.exitCode).toBe(0);
    expect(handled).toContain('after-backup');
    expect(next.flags).not.toContain('demo.backup.done');
  });

  it('fail(): action-fail gets the message, the exit code is 0 (Juju: failed, §3.3), and nothing is committed', async () => {
    const { tools, store, action } = setup({}, ['demo.installed']);
    const result = await action('restore', {
      restore: (ctx) => {
        ctx.setFlag('demo.restored');
        ctx.kv.set('k', 1);
        ctx.setResult('checked', 'yes');
        ctx.fail('backup "x" not found');
      },
    });
    expect(result).toMatchObject({ exitCode: 0, ok: false, committed: false, failure: 'backup "x" not found', error: { code: 'ACTION_FAILED', action: 'restore' } });
    expect(tools.world.action).toMatchObject({ failed: 'backup "x" not found', results: { checked: 'yes' } });
    expect(store.commits).toBe(0);
    expect(committedFlags(store)).toEqual(['demo.installed']);
  });

  it('fail() without a message gives Juju\'s default text', async () => {
    const { tools, action } = setup();
    await action('restore', { restore: (ctx) => ctx.fail() });
    expect(tools.world.action?.failed).toBe('action failed without reason given, check action for errors');
  });

  it('a throw: action-fail gets its message, exit code 1 (Juju: failed, "exit status 1"), nothing committed, the error logged', async () => {
    const { tools, store, action } = setup();
    const result = await action('restore', {
      restore: async (ctx) => {
        ctx.setFlag('demo.restored');
        await ctx.log('restoring');
        throw new Error(`cannot reach the bucket with ${SECRET}`);
      },
    });
    expect(result).toMatchObject({ exitCode: 1, ok: false, committed: false, failure: 'cannot reach the bucket with ***' });
    expect(tools.world.action).toMatchObject({ failed: 'cannot reach the bucket with ***', log: ['restoring'] });
    expect(store.commits).toBe(0);
    const errors = tools.world.logs.filter((l) => l.level === 'ERROR').map((l) => l.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Action error: action restore failed: Error: cannot reach the bucket with \*\*\*/);
    expect(JSON.stringify(tools.world.logs)).not.toContain(SECRET);
  });

  it('exit(0) ends the action successfully and commits; exit(N) fails it with exit code N', async () => {
    const ok = setup();
    const done = await ok.action('backup', { backup: (ctx) => { ctx.setFlag('demo.partial'); ctx.exit(0); } });
    expect(done).toMatchObject({ exitCode: 0, committed: true });
    expect(committedFlags(ok.store)).toEqual(['demo.partial']);
    const bad = setup();
    const failed = await bad.action('backup', { backup: (ctx) => { ctx.setFlag('demo.partial'); ctx.exit(3); } });
    expect(failed).toMatchObject({ exitCode: 3, committed: false, failure: 'action exited with code 3' });
    expect(bad.store.commits).toBe(0);
  });

  it('a tool call the action did not await that fails (action-set here) fails the action, and nothing is committed', async () => {
    const { tools, store, action } = setup();
    tools.world.failures = { 'action-set': { exitCode: 1, stderr: 'ERROR connection refused\n' } };
    const result = await action('backup', {
      backup: (ctx) => {
        ctx.setFlag('demo.backup.done');
        ctx.setResult('path', '/x');
      },
    });
    expect(result).toMatchObject({ exitCode: 1, ok: false, committed: false, error: { code: 'HOOK_TOOL_FAILED', tool: 'action-set' } });
    expect(store.commits).toBe(0);
  });

  it('an action with no function fails with ActionError UNKNOWN_ACTION naming the known actions', async () => {
    const { tools, action } = setup();
    const result = await action('snapshot', { backup: () => undefined, restore: () => undefined });
    expect(result.exitCode).toBe(1);
    expect(result.error).toBeInstanceOf(ActionError);
    expect(result.error).toMatchObject({ code: 'UNKNOWN_ACTION', action: 'snapshot', known: ['backup', 'restore'] });
    expect(tools.world.action?.failed).toContain('it has: backup, restore');
  });
});

describe('actions: logging and secrets', () => {
  it('log() goes through action-log with secret config values masked; results never reach juju-log', async () => {
    const { tools, action } = setup();
    await action('show-password', {
      'show-password': async (ctx) => {
        await ctx.log(`using ${SECRET}`);
        ctx.setResult('password', String(ctx.config['admin-password']));
      },
    });
    expect(tools.world.action?.log).toEqual(['using ***']);
    expect(tools.world.action?.results).toEqual({ password: SECRET });
    expect(JSON.stringify(tools.world.logs)).not.toContain(SECRET);
    expect(tools.world.logs[0]?.message).toBe('Running action show-password (no reactive dispatch)');
  });
});

describe('main({ actions })', () => {
  const env = (path: string) => ({ JUJU_UNIT_NAME: 'demo/0', JUJU_MODEL_NAME: 'm', JUJU_CHARM_DIR: '/nonexistent', JUJU_DISPATCH_PATH: path, JUJU_ACTION_NAME: 'backup', JUJU_ACTION_UUID: '2' });
  const files = { metadata, configYaml: undefined, layerYaml: undefined };

  it('runs the action named by JUJU_DISPATCH_PATH=actions/<name> instead of dispatch', async () => {
    const { tools, store, handled } = setup({ target: 'a' });
    const charm = () => createReactor().handle({ id: 'always', whenNot: 'demo.never' }, () => void handled.push('always'));
    let id: string | undefined;
    const code = await main(charm, { env: env('actions/backup'), tools, store, files, actions: { backup: (ctx) => { id = ctx.actionId; ctx.setResult('ok', 'yes'); } } });
    expect(code).toBe(0);
    expect(id).toBe('2');
    expect(handled).toEqual([]);
    expect(tools.world.action?.results).toEqual({ ok: 'yes' });
  });

  it('exits 1 for an action the charm has no function for', async () => {
    const { tools, store } = setup();
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect(await main(createReactor(), { env: env('actions/backup'), tools, store, files })).toBe(1);
    } finally {
      process.stderr.write = stderr;
    }
    expect(tools.world.action?.failed).toMatch(/no function for action "backup"; it has: none/);
  });
});

describe('docs/how-to/write-an-action.md', () => {
  it('its example runs as the page says', async () => {
    const backup = async (ctx: ActionContext<{ target: string; compress: boolean }>) => {
      await ctx.log(`backing up to ${ctx.params.target}`);
      const file = `${ctx.params.target}/data.tar${ctx.params.compress ? '.gz' : ''}`;
      ctx.setResult('backup.path', file);
      ctx.setResult('backup.files', 3);
      ctx.setFlag('my-charm.backed-up');
    };
    const tools = new MemoryHookTools({ unitName: 'my-charm/0', action: { params: { target: '/srv', compress: false } } });
    const store = new MemoryUnitStateStore();
    const result = await runCharmAction({
      juju: syntheticHookContext('backup', { unitName: 'my-charm/0', action: true }),
      tools, store, charm: () => createReactor(), metadata: { name: 'my-charm' }, actions: { backup },
    });
    expect(result).toMatchObject({ exitCode: 0, committed: true, results: { backup: { path: '/srv/data.tar', files: '3' } } });
    expect(store.peek()?.flags).toHaveProperty(['my-charm.backed-up']);
    expect(tools.world.action?.log).toEqual(['backing up to /srv']);
  });
});
