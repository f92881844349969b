// Shared by the benchmarks: medians, and timing fresh processes. Figures only; nothing
// here passes or fails on time.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..');

/** The middle value (the upper one of the two middles for an even count). */
export function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/**
 * Runs a program to its end and returns the wall time from spawn to exit, in ms, with
 * what it printed.
 * @throws Error when it exits non-zero.
 */
export function timeProcess(command, args, options = {}) {
  const start = performance.now();
  const child = spawnSync(command, args, { encoding: 'utf8', ...options });
  const ms = performance.now() - start;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${child.status}:\n${child.stderr}`);
  return { ms, stdout: child.stdout };
}

/** `node bench/one-hook.mjs <name>` once: its wall time, and what it reports (registerMs, dispatch figures). */
export function oneHook(name) {
  const { ms, stdout } = timeProcess(process.execPath, [join(here, 'one-hook.mjs'), name]);
  return { ms, ...JSON.parse(stdout) };
}

/** `node -e 0` once: what starting Node costs on this machine. */
export function nodeStart() {
  return timeProcess(process.execPath, ['-e', '0']).ms;
}
