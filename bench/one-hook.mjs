// One hook of a benchmark scenario in a fresh process, as Juju would start a charm:
// node bench/one-hook.mjs a|b. Prints the dispatch figures as JSON, with `registerMs`:
// how long registering the scenario's handlers took, the first (and only) time this
// process did it, as a hook pays it.
import { performance } from 'node:perf_hooks';
import { MemoryUnitStateStore } from '@charms/reactive';
import { runHook } from '@charms/runtime';
import { SCENARIOS, buildCharm } from './scenarios.mjs';

const scenario = SCENARIOS[process.argv[2] ?? 'a'];
const store = new MemoryUnitStateStore({ flags: { f0: null }, data: {} });
let registerMs;
const charm = () => {
  const start = performance.now();
  const reactor = buildCharm(scenario);
  registerMs = performance.now() - start;
  return reactor;
};
const outcome = await runHook({ hookName: 'update-status', store, charm });
if (!outcome.ok) throw outcome.error;
console.log(JSON.stringify({ registerMs, ...outcome.dispatch }));
