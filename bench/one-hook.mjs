// One hook of a benchmark scenario in a fresh process, as Juju would start a charm:
// node bench/one-hook.mjs a|b. Prints the dispatch figures as JSON.
import { MemoryUnitStateStore } from '@charms/reactive';
import { runHook } from '@charms/runtime';
import { SCENARIOS, buildCharm } from './scenarios.mjs';

const scenario = SCENARIOS[process.argv[2] ?? 'a'];
const store = new MemoryUnitStateStore({ flags: { f0: null }, data: {} });
const outcome = await runHook({ hookName: 'update-status', store, charm: () => buildCharm(scenario) });
if (!outcome.ok) throw outcome.error;
console.log(JSON.stringify(outcome.dispatch));
