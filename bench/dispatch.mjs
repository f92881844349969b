// `pnpm bench` part 1: dispatch and registration cost of the issue-2 scenarios.
// Prints figures; never fails on time.
import { performance } from 'node:perf_hooks';
import { UnitState } from '@charms/reactive';
import { median, oneHook } from './measure.mjs';
import { SCENARIOS, buildCharm } from './scenarios.mjs';

const RUNS = 30;
const PROCESS_RUNS = 7;

const rows = [];
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  // Dispatch alone, in this (warm) process, over one reactor.
  const reactor = buildCharm(scenario);
  const times = [];
  let result;
  for (let run = 0; run < RUNS; run += 1) {
    const hook = reactor.beginHook({ hookName: 'update-status', state: new UnitState({ flags: { f0: null }, data: {} }) });
    const start = performance.now();
    result = await hook.run(() => hook.dispatch(false));
    times.push(performance.now() - start);
  }

  // Registration as a hook pays it: the first one, in a fresh process (bench/one-hook.mjs).
  const children = [];
  for (let run = 0; run < PROCESS_RUNS; run += 1) children.push(oneHook(name));
  const handlers = scenario.idle + scenario.chain;
  const registerMs = median(children.map((c) => c.registerMs));
  rows.push({
    scenario: `(${name}) ${scenario.idle.toLocaleString('en')} idle + ${scenario.chain}-link chain`,
    handlers,
    'dispatch first (ms)': times[0].toFixed(2),
    'dispatch median (ms)': median(times).toFixed(2),
    'register, fresh process (ms)': registerMs.toFixed(1),
    'µs per handler': ((registerMs * 1000) / handlers).toFixed(2),
    "charm's own specs (µs per handler)": ((median(children.map((c) => c.specMs)) * 1000) / handlers).toFixed(2),
    iterations: result.iterations,
    invocations: result.invocations,
    'cap reached': result.capReached,
    'process median (ms)': median(children.map((c) => c.ms)).toFixed(1),
  });
}
console.log(
  `node ${process.version}; dispatch over ${RUNS} runs in this process (the first, then the median); ` +
    `registration with reactor.handle (the first in the process; the charm building its specs and functions before is shown apart) and the whole process (node start to exit) as the median of ${PROCESS_RUNS} fresh processes of bench/one-hook.mjs`,
);
console.table(rows);
