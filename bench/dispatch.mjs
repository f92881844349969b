// `pnpm bench`: dispatch cost of the issue-2 scenarios. Prints figures; never fails on time.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { UnitState } from '@charms/reactive';
import { SCENARIOS, buildCharm } from './scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RUNS = 30;
const PROCESS_RUNS = 5;
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

const rows = [];
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  const reactor = buildCharm(scenario);
  const times = [];
  let result;
  for (let run = 0; run < RUNS; run += 1) {
    const hook = reactor.beginHook({ hookName: 'update-status', state: new UnitState({ flags: { f0: null }, data: {} }) });
    const start = performance.now();
    result = await hook.run(() => hook.dispatch(false));
    times.push(performance.now() - start);
  }
  const buildStart = performance.now();
  buildCharm(scenario);
  const buildMs = performance.now() - buildStart;

  const processTimes = [];
  for (let run = 0; run < PROCESS_RUNS; run += 1) {
    const start = performance.now();
    const child = spawnSync(process.execPath, [join(here, 'one-hook.mjs'), name], { encoding: 'utf8' });
    processTimes.push(performance.now() - start);
    if (child.status !== 0) throw new Error(`one-hook ${name} failed:\n${child.stderr}`);
  }
  rows.push({
    scenario: `(${name}) ${scenario.idle.toLocaleString('en')} idle + ${scenario.chain}-link chain`,
    handlers: scenario.idle + scenario.chain,
    'dispatch first (ms)': times[0].toFixed(2),
    'dispatch median (ms)': median(times).toFixed(2),
    'register (ms)': buildMs.toFixed(2),
    iterations: result.iterations,
    invocations: result.invocations,
    'cap reached': result.capReached,
    'process median (ms)': median(processTimes).toFixed(1),
  });
}
console.log(`node ${process.version}; dispatch over ${RUNS} runs in one process; whole process (node start to exit) over ${PROCESS_RUNS} runs`);
console.table(rows);
