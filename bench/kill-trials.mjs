#!/usr/bin/env node
// Kill trials: SIGKILL the `charms` command at a random moment of `charms config` (while
// its hook runs, or while it commits), then run the next command and check that it
// finishes promptly, that no hook process of the killed command is alive, and that the
// counter charm's controller-state counter moved by exactly one per committed hook.
//
//   node bench/kill-trials.mjs [trials=30] [seed=1]
//
// Prints one line per trial and a summary; exits 1 when a check failed. The test suite
// runs a few trials of the same code (packages/model/test/crash.test.ts).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const charms = join(root, 'packages', 'cli', 'bin', 'charms.cjs');
export const counterCharm = join(root, 'packages', 'model', 'test', 'fixtures', 'counter-charm');

/** Runs the charms command; resolves with its exit code, output and real milliseconds. */
function command(model, args, kill) {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, [charms, '--model', model, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timer;
    let exited = false;
    if (kill?.afterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    if (kill?.afterHookMs !== undefined) {
      // Wait for the hook to start, then kill a moment into it (or into the commit after it).
      const poll = () => {
        if (exited) return;
        if (hookProcesses(model).length > 0) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterHookMs);
        else timer = setTimeout(poll, 5);
      };
      poll();
    }
    child.on('close', (code, signal) => {
      exited = true;
      clearTimeout(timer);
      done({ code, signal, output, ms: Math.round(performance.now() - started) });
    });
  });
}

/** The live processes started for hooks of `model` (they carry its tool folder in their environment). */
export function hookProcesses(model) {
  const mark = `CHARMS_TOOL_TMP=${join(model, 'run')}`;
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(mark)) found.push(Number(name));
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}

/** The counter unit's controller state: n, and the seen-/dup- keys. */
function counterState(model) {
  const record = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8'));
  const state = record.apps.counter.units[0].controllerState ?? {};
  const seen = Object.keys(state).filter((k) => k.startsWith('seen-'));
  const dups = Object.keys(state).filter((k) => k.startsWith('dup-'));
  return { n: Number(state.n ?? 0), seen: seen.length, dups, agent: record.apps.counter.units[0].agent.status };
}

function random(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * Runs `trials` kill trials on a fresh model; `say` gets one line per trial.
 * Returns the trials' figures and the problems found (none when all held).
 */
export async function killTrials({ trials = 30, seed = 1, nap = '0.05', promptMs = 10_000, say = () => {} } = {}) {
  const model = mkdtempSync(join(tmpdir(), 'charms-kill-'));
  const next = random(seed);
  const problems = [];
  const rows = [];
  try {
    const deployed = await command(model, ['deploy', counterCharm, '--config', `nap=${nap}`]);
    if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.output}`);
    // An undisturbed config command: the kills land anywhere from its start to its end.
    const whole = await command(model, ['config', 'counter', 'tick=calibrate']);
    if (whole.code !== 0) throw new Error(`config failed: ${whole.output}`);
    say(`model ${model}; an undisturbed config command takes ${whole.ms} ms`);
    for (let trial = 1; trial <= trials; trial += 1) {
      // Odd trials: anywhere in the command. Even ones: in the hook (4 naps and its tool
      // calls) or just after it, while the command commits.
      const inHook = trial % 2 === 0;
      const killAt = Math.round(next() * (inHook ? 4 * Number(nap) * 1000 + 150 : whole.ms * 1.1));
      const killed = await command(model, ['config', 'counter', `tick=k${trial}`], inHook ? { afterHookMs: killAt } : { afterMs: killAt });
      // Right after the kill: the killed command's hook should end by itself (its watcher).
      await new Promise((done) => setTimeout(done, 300));
      const leftAfterKill = hookProcesses(model).length;
      const after = await command(model, ['config', 'counter', `tick=r${trial}`]);
      const alive = hookProcesses(model);
      const state = counterState(model);
      const row = { trial, inHook, killAt, killed: killed.signal ?? `exit ${killed.code}`, leftAfterKill, nextMs: after.ms, nextCode: after.code, alive: alive.length, ...state };
      rows.push(row);
      const wrong = [];
      if (after.code !== 0) wrong.push(`the next command exited ${after.code}: ${after.output.trim()}`);
      if (after.ms > promptMs) wrong.push(`the next command took ${after.ms} ms`);
      if (alive.length > 0) wrong.push(`hook processes alive: ${alive.join(' ')}`);
      if (state.dups.length > 0) wrong.push(`a config committed twice: ${state.dups.join(' ')}`);
      if (state.n !== state.seen) wrong.push(`counter ${state.n} but ${state.seen} committed hooks`);
      if (state.agent !== 'idle') wrong.push(`agent ${state.agent}`);
      for (const text of wrong) problems.push(`trial ${trial}: ${text}`);
      say(`trial ${String(trial).padStart(2)}: killed ${String(killAt).padStart(5)} ms after ${inHook ? 'the hook started' : 'the command started'} (${row.killed}), hook processes 0.3 s later ${leftAfterKill}; next command ${after.ms} ms exit ${after.code}; alive ${alive.length}; counter ${state.n} = committed hooks ${state.seen}${wrong.length ? `  FAIL ${wrong.join('; ')}` : ''}`);
    }
  } finally {
    rmSync(model, { recursive: true, force: true });
  }
  return { rows, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const trials = Number(process.argv[2] ?? 30);
  const seed = Number(process.argv[3] ?? 1);
  const { rows, problems } = await killTrials({ trials, seed, say: (line) => console.log(line) });
  const ms = rows.map((r) => r.nextMs).sort((a, b) => a - b);
  console.log(`\n${rows.length} trials (seed ${seed}): next command median ${ms[Math.floor(ms.length / 2)]} ms, max ${ms.at(-1)} ms; hook processes alive after the next command: ${rows.reduce((s, r) => s + r.alive, 0)}; 0.3 s after the kill: ${rows.reduce((s, r) => s + r.leftAfterKill, 0)}; problems: ${problems.length}`);
  for (const problem of problems) console.log(`  ${problem}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
