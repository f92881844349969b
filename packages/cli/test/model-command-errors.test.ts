import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { addGraphCommand } from '../src/commands/graph-command.js';
import { configFile, hookIndex, logLevel, unitCount } from '../src/commands/model-arguments.js';
import { addModelCommands, hookTrace } from '../src/commands/model-commands.js';
import { isoTime } from '../src/commands/model-status.js';

// Every way a user's value can be refused by the model commands ends in an error with a
// stable code (docs/reference/cli.md, "Exit status": all of them exit 1), and a refused
// value changes nothing: no model folder is created for it. The commands run in this
// process, so that the thrown error itself, with its code, can be asserted.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'model-command-errors-'));
  dirs.push(dir);
  return dir;
}

/** What `charms --model <model> ...args` throws, run in-process; undefined if it throws nothing. */
async function refusal(model: string, ...args: string[]): Promise<{ code?: string; name?: string; message: string } | undefined> {
  const program = new Command('charms')
    .option('--model <dir>')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  addModelCommands(program);
  addGraphCommand(program);
  try {
    await program.parseAsync(['--model', model, ...args], { from: 'user' });
    return undefined;
  } catch (error) {
    return error as { code?: string; name?: string; message: string };
  }
}

describe('refused command-line values of the model commands', () => {
  it('an unknown --format of status is commander\'s invalid argument, before any model exists', async () => {
    const model = join(folder(), 'model');
    const error = await refusal(model, 'status', '--format', 'nonsense');
    expect(error).toMatchObject({ code: 'commander.invalidArgument' });
    expect(error?.message).toContain('Allowed choices are tabular, json, yaml');
    expect(existsSync(model)).toBe(false);
  });

  it('an unknown --format of graph is UNKNOWN_FORMAT (not a charm problem)', async () => {
    const error = await refusal(join(folder(), 'model'), 'graph', folder(), '--format', 'nonsense');
    expect(error).toMatchObject({ name: 'CliError', code: 'UNKNOWN_FORMAT' });
  });

  it('an unknown log --level is refused before the model is opened (it used to show every line)', async () => {
    const model = join(folder(), 'model');
    expect(await refusal(model, 'log', '--level', 'nonsense')).toMatchObject({ code: 'commander.invalidArgument' });
    expect(existsSync(model)).toBe(false);
    expect(logLevel('warning')).toBe('WARNING');
  });

  it('a unit count that is not a whole number from 1 is refused before deploy builds or opens anything', async () => {
    const model = join(folder(), 'model');
    const error = await refusal(model, 'deploy', folder(), '-n', '0');
    expect(error).toMatchObject({ code: 'commander.invalidArgument' });
    expect(error?.message).toContain('the number of units must be a whole number from 1, got "0"');
    expect(existsSync(model)).toBe(false);
    for (const bad of ['0', '-1', '1.5', '', 'two', '1e3', '0x10']) expect(() => unitCount(bad), bad).toThrow(expect.objectContaining({ code: 'commander.invalidArgument' }));
    expect(unitCount(' 3 ')).toBe(3);
  });

  it('a charm that does not exist is INVALID_ARGUMENT, before the model is opened', async () => {
    const model = join(folder(), 'model');
    const error = await refusal(model, 'deploy', join(folder(), 'nowhere'));
    expect(error).toMatchObject({ name: 'CliError', code: 'INVALID_ARGUMENT' });
    expect(error?.message).toContain('no such file or folder');
    expect(existsSync(model)).toBe(false);
  });

  it('a config file that cannot be read, holds no settings for the application, or has a bad key is INVALID_ARGUMENT', async () => {
    const dir = folder();
    await expect(configFile(join(dir, 'nowhere.yaml'), 'kv')).rejects.toMatchObject({ name: 'CliError', code: 'INVALID_ARGUMENT' });
    writeFileSync(join(dir, 'other.yaml'), 'other:\n  port: 1\n');
    await expect(configFile(join(dir, 'other.yaml'), 'kv')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('has no settings for kv') });
    writeFileSync(join(dir, 'broken.yaml'), 'kv: [unclosed\n');
    await expect(configFile(join(dir, 'broken.yaml'), 'kv')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    writeFileSync(join(dir, 'key.yaml'), 'kv:\n  "a b": 1\n');
    await expect(configFile(join(dir, 'key.yaml'), 'kv')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('"a b"') });
    writeFileSync(join(dir, 'good.yaml'), 'kv:\n  port: 7001\n');
    await expect(configFile(join(dir, 'good.yaml'), 'kv')).resolves.toEqual({ port: 7001 });
  });

  it('a value file that cannot be read (key=@path) is INVALID_ARGUMENT, before deploy builds or opens anything', async () => {
    const model = join(folder(), 'model');
    const error = await refusal(model, 'deploy', folder(), '--config', `colour=@${join(folder(), 'nowhere')}`);
    expect(error).toMatchObject({ name: 'CliError', code: 'INVALID_ARGUMENT', message: expect.stringContaining('cannot read the value of colour') });
    expect(existsSync(model)).toBe(false);
    expect(await refusal(model, 'config', 'kv', `colour=@${join(folder(), 'nowhere')}`)).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(existsSync(model)).toBe(false);
  });

  it('JUJU_STATUS_ISO_TIME that is no boolean is INVALID_ARGUMENT, with Juju\'s words', () => {
    expect(() => isoTime(undefined, { JUJU_STATUS_ISO_TIME: 'maybe' })).toThrow(expect.objectContaining({ name: 'CliError', code: 'INVALID_ARGUMENT' }));
    expect(isoTime(undefined, { JUJU_STATUS_ISO_TIME: 'T' })).toBe(true);
  });
});

describe('charms explain: which recorded hook', () => {
  const dir = folder();
  const trace = join(dir, 'trace.json');
  writeFileSync(trace, '{"hook":"install"}');
  writeFileSync(join(dir, 'torn.json'), '{"hook":');
  const hooks = [
    { index: 0, hook: 'install', trace },
    { index: 1, hook: 'start' },
    { index: 2, hook: 'update-status', trace: join(dir, 'torn.json') },
  ];

  it('takes an index from 0, negative from the end; anything else is commander\'s invalid argument', async () => {
    expect(hookIndex('-3')).toBe(-3);
    expect(() => hookIndex('last')).toThrow(expect.objectContaining({ code: 'commander.invalidArgument' }));
    expect(() => hookIndex('1.5')).toThrow(expect.objectContaining({ code: 'commander.invalidArgument' }));
    await expect(hookTrace(hooks, 'kv/0', -3)).resolves.toEqual({ index: 0, record: { hook: 'install' } });
  });

  it('is NOT_FOUND for a unit without hooks, an index it does not have (listing those it has) and a hook without a trace', async () => {
    await expect(hookTrace([], 'kv/0')).rejects.toMatchObject({ name: 'ModelError', code: 'NOT_FOUND' });
    await expect(hookTrace(hooks, 'kv/0', 7)).rejects.toMatchObject({ code: 'NOT_FOUND', problems: ['0 install', '1 start', '2 update-status'] });
    await expect(hookTrace(hooks, 'kv/0', 1)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('left no trace') });
  });

  it('is MODEL_CORRUPT for a trace file that cannot be read', async () => {
    await expect(hookTrace(hooks, 'kv/0')).rejects.toMatchObject({ name: 'ModelError', code: 'MODEL_CORRUPT' });
  });
});
