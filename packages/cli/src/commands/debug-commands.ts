import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalModel } from '@charms/model';
import type { Command } from 'commander';
import pc from 'picocolors';
import { progress } from './hook-reports.js';
import { hookIndex } from './model-arguments.js';
import { modelDir, openModel } from './open-model.js';

// charms debug-code, debug-hooks and replay (issue 18). debug-code and debug-hooks wait
// in their terminal, as Juju 2.9's do in a tmux session on the unit, while another
// command (charms run, config, relate, …) runs the unit's hooks: the model's hook runner
// hands them the next matching hook through the model's run/debug/ folder.

/** The exit status of a command whose hook failed (as the model commands use it). */
const EXIT_HOOK_FAILED = 2;

/** Ctrl-C while waiting withdraws the request; the returned signal aborts the wait. */
function interruptible(): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, done: () => void process.off('SIGINT', onSigint) };
}

/**
 * Opens the model, which must exist: these commands act on deployed units, so a wrong
 * `--model` creates no empty model.
 * @throws ModelError `NOT_FOUND` when there is no model in the folder.
 */
async function existingModel(program: Command, onHook?: Parameters<typeof openModel>[1]): Promise<LocalModel> {
  const dir = modelDir(program);
  if (!existsSync(join(dir, 'model.json'))) {
    const { ModelError } = await import('@charms/model');
    throw new ModelError('NOT_FOUND', `no model in ${dir}: deploy a charm first, or name the model with --model or CHARMS_MODEL`);
  }
  return openModel(program, onHook);
}

/**
 * The unit must exist, and each name must be one of its charm's hooks or actions, as
 * Juju's debug-hooks and debug-code check them (cmd/juju/commands/debughooks.go
 * validateHooksOrActions): a misspelt name would otherwise wait for ever.
 * @throws ModelError `NOT_FOUND` (no such unit), `INVALID_HOOK` (Juju's text); nothing is asked of the model then.
 */
async function checkUnit(program: Command, unit: string, names: readonly string[]): Promise<void> {
  const model = await existingModel(program);
  const { ModelError } = await import('@charms/model');
  const app = model.snapshot().apps[unit.split('/')[0]!];
  if (!app?.units.some((u) => u.name === unit)) throw new ModelError('NOT_FOUND', `unit ${JSON.stringify(unit)} not found: see charms status for the units there are`);
  const [{ loadMetadata }, { charmHookNames }] = await Promise.all([import('@charms/manifest'), import('@charms/model/internal')]);
  const hooks = charmHookNames(loadMetadata(join(model.dir, app.charmDir)));
  const actions = model.actions(app.name).map((action) => action.name);
  const unknown = names.find((name) => !hooks.includes(name) && !actions.includes(name));
  if (unknown !== undefined) {
    throw new ModelError('INVALID_HOOK', `unit ${JSON.stringify(unit)} contains neither hook nor action ${JSON.stringify(unknown)}, valid actions are [${actions.join(' ')}] and valid hooks are [${hooks.join(' ')}]`);
  }
}

/**
 * The session the runner opens for this command's request; undefined when there is none
 * to debug: Ctrl-C first (the request withdrawn, exit status 130), or the hook ended
 * before a session opened (said so, with its status).
 */
async function sessionOrEnd(dir: string, unit: string, signal: AbortSignal) {
  const { cancelDebug, waitForSession } = await import('@charms/model/internal');
  const session = await waitForSession(dir, unit, signal);
  if (!session) {
    cancelDebug(dir, unit);
    process.exitCode = 130;
    return undefined;
  }
  if (session.endedWith !== undefined) {
    endedEarly(unit, session.endedWith);
    return undefined;
  }
  return session;
}

/** The hook ended before it opened a session (no Node inspector, or the hook failed at once): say how. */
function endedEarly(unit: string, exitCode: number): void {
  process.stdout.write(`${unit}'s hook ended with status ${exitCode} before a debugger could attach (no Node inspector announced itself: see charms log ${unit})\n`);
  if (exitCode !== 0) process.exitCode = EXIT_HOOK_FAILED;
}

function which(names: readonly string[]): string {
  return names.length === 0 ? 'next hook or action' : `next ${names.join(' or ')}`;
}

export function addDebugCommands(program: Command): void {
  program
    .command('debug-code')
    .description('run a unit’s next hook (or action) under the Node inspector, paused before the handlers JUJU_DEBUG_AT names')
    .argument('<unit>')
    .argument('[names...]', 'hook or action names to wait for (default: the next one, whatever it is)')
    .option('--at <value>', 'JUJU_DEBUG_AT for the hook: all, hook, handler ids or breakpoint names, comma-separated', 'all')
    .action(async (unit: string, names: string[], options: { at: string }) => {
      const dir = modelDir(program);
      await checkUnit(program, unit, names);
      const { devtoolsUrl, requestDebug, vscodeAttach, waitForEnd } = await import('@charms/model/internal');
      requestDebug(dir, { kind: 'code', unit, names, at: options.at });
      const { signal, done } = interruptible();
      try {
        process.stdout.write(`Waiting for the ${which(names)} of ${unit}: run it from another terminal (charms run ${unit} update-status, charms config …). Ctrl-C gives up.\n`);
        const session = await sessionOrEnd(dir, unit, signal);
        if (!session) return;
        const url = session.url ?? '';
        const { host } = new URL(url);
        process.stdout.write(
          [
            `${pc.bold(`${unit} ${session.hook}`)} waits for a debugger (JUJU_DEBUG_AT=${options.at}):`,
            `  inspector  ${url}`,
            `  Chrome     chrome://inspect → Configure… → add ${host}, then "inspect" under Remote Target`,
            `             (or open ${devtoolsUrl(url)})`,
            `  VS Code    a launch configuration to start:`,
            `             ${JSON.stringify(vscodeAttach(url, unit))}`,
            '  It stops first at its first line (node --inspect-brk); resume, and it stops where JUJU_DEBUG_AT says.',
            '  Once the hook is over, Node waits for the debugger to detach: close DevTools or stop the VS Code session.',
            '',
          ].join('\n'),
        );
        const exitCode = await waitForEnd(dir, unit, signal);
        if (exitCode === undefined) {
          // The hook runner sees this command gone and lets the paused hook run on (debug-session.ts).
          process.stdout.write(`Stopped waiting; the hook runs on without a debugger in the command that runs it.\n`);
          process.exitCode = 130;
          return;
        }
        process.stdout.write(`${unit} ${session.hook} exited with status ${exitCode} (${exitCode === 0 ? 'committed' : 'nothing committed'})\n`);
        if (exitCode !== 0) process.exitCode = EXIT_HOOK_FAILED;
      } finally {
        done();
      }
    });

  program
    .command('debug-hooks')
    .description('instead of a unit’s next matching hook, open a shell in its environment; the shell’s exit status is the hook’s')
    .argument('<unit>')
    .argument('[hooks...]', 'hook or action names to wait for (default: the next one, whatever it is)')
    .action(async (unit: string, hooks: string[]) => {
      const dir = modelDir(program);
      await checkUnit(program, unit, hooks);
      const { requestDebug, shellExited, waitForEnd } = await import('@charms/model/internal');
      requestDebug(dir, { kind: 'hooks', unit, names: hooks });
      const { signal, done } = interruptible();
      try {
        process.stderr.write(`Waiting for the ${which(hooks)} of ${unit}: run it from another terminal. Ctrl-C gives up.\n`);
        const session = await sessionOrEnd(dir, unit, signal);
        if (!session) return;
        process.stderr.write(
          `${pc.bold(`${unit} ${session.hook}`)}: a shell in the hook's environment (JUJU_* set, hook tools on PATH) in the charm's folder.\n` +
            `Run ./dispatch to run the hook as it would have run. exit 0 ends the hook as run; any other status fails it.\n`,
        );
        // The shell owns the terminal now: Ctrl-C is its to handle.
        done();
        const shell = process.env.SHELL || '/bin/sh';
        const env = { ...session.env, TERM: process.env.TERM ?? 'dumb', PS1: `${unit}:${session.hook.replace(/^hooks\//, '')}$ ` };
        const status = await new Promise<number>((settle) => {
          const child = spawn(shell, [], { cwd: session.cwd, env, stdio: 'inherit' });
          const ignore = () => undefined;
          process.on('SIGINT', ignore);
          child.on('error', (error) => {
            process.off('SIGINT', ignore);
            process.stderr.write(`${pc.red('error:')} cannot start ${shell}: ${error.message}\n`);
            settle(127);
          });
          child.on('close', (code, signalName) => {
            process.off('SIGINT', ignore);
            settle(code ?? (signalName ? 128 : 1));
          });
        });
        shellExited(dir, unit, status);
        const exitCode = await waitForEnd(dir, unit);
        process.stderr.write(`${unit} ${session.hook} ended with status ${exitCode ?? status} (${exitCode === 0 ? 'committed' : 'nothing committed'})\n`);
        if (exitCode !== 0) process.exitCode = EXIT_HOOK_FAILED;
      } finally {
        done();
      }
    });

  program
    .command('replay')
    .description('run a recorded hook of a unit again, with the event, config and relation data it saw; it commits like any hook')
    .argument('<unit>')
    .argument('<hook-index>', 'which hook of the unit, from 0 as charms explain numbers them (negative counts from the end)', hookIndex)
    .action(async (unit: string, index: number) => {
      const model = await existingModel(program, progress);
      const before = model.hooks(unit).length;
      const reports = await model.replay(unit, index);
      const replayed = reports.find((report) => report.unit === unit);
      const original = index < 0 ? before + index : index;
      if (replayed) {
        const outcome = replayed.ok ? 'succeeded; its changes are committed' : `failed; nothing committed, ${unit} is in error`;
        process.stdout.write(`Hook ${original} of ${unit} (${replayed.hook}) replayed as hook ${before}: ${outcome}\n`);
      }
      if (reports.some((report) => !report.ok && !report.hook.startsWith('actions/'))) process.exitCode = EXIT_HOOK_FAILED;
    });
}
