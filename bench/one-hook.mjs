// One hook of a benchmark scenario in a fresh process, as Juju would start a charm:
// node bench/one-hook.mjs a|b. Prints the dispatch figures as JSON, with how long the
// charm took, the first (and only) time this process did it, as a hook pays it:
// `specMs` to build its handler specs and functions (the charm's own code) and
// `registerMs` to register them with `reactor.handle` (the framework's part).
import { performance } from 'node:perf_hooks';
import { MemoryUnitStateStore } from '@charms/reactive';
import { runHook } from '@charms/runtime';
import { SCENARIOS, charmHandlers, registerHandlers } from './scenarios.mjs';

const scenario = SCENARIOS[process.argv[2] ?? 'a'];
const store = new MemoryUnitStateStore({ flags: { f0: null }, data: {} });
let specMs;
let registerMs;
const charm = () => {
  const start = performance.now();
  const handlers = charmHandlers(scenario);
  const built = performance.now();
  const reactor = registerHandlers(handlers);
  specMs = built - start;
  registerMs = performance.now() - built;
  return reactor;
};
const outcome = await runHook({ hookName: 'update-status', store, charm });
if (!outcome.ok) throw outcome.error;
console.log(JSON.stringify({ specMs, registerMs, ...outcome.dispatch }));
