import { parseAllDocuments, parseDocument } from 'yaml';
import { checkEmpty, optionText, parseArgs } from './args.js';
import { readArgumentFile } from './files.js';
import { failure, ok } from './result.js';
import { appOf, type JujucTool, type JujucWorld } from './world.js';

// Juju refuses both kinds of spec from one hook (it says so when the hook commits; the
// emulator says it when the second is set).
const ONE_SPEC_KIND = 'either k8s-spec-set or k8s-raw-set can be run for each application, but not both';

/**
 * A sidecar charm sets no k8s spec: its pod is the charm container and the workload
 * containers of metadata.yaml, run by Pebble. Juju 3.x itself refuses a spec only from
 * an operator charm (state/podspec_ops.go, "cannot set k8s spec on an operator charm",
 * when the hook commits); from a sidecar charm it keeps the spec and nothing ever
 * applies it (the application workers of a v2 charm read no spec). The emulator refuses
 * it at the call, in the form of that operator-charm refusal, so the mistake shows at
 * once rather than as a workload that never changes: a deliberate difference
 * (docs/reference/hooktools.md).
 */
function refuseOnSidecar(world: JujucWorld): void {
  if (!world.sidecar) return;
  failure(
    `cannot set k8s spec on a sidecar charm: ${appOf(world.unitName)} declares containers in metadata.yaml, whose workloads Pebble runs, and Juju would keep the spec without applying it; describe the workload as a Pebble layer instead (layer:sidecar planLayer)`,
  );
}

/**
 * `pod-spec-set` / `k8s-spec-set [--file <spec>|-] [--k8s-resources <file>]`: leader
 * only, transactional. The two files are joined as text and decoded as one document
 * (pod-spec-set.go, k8s-spec-set.go `mergeFileContent`); the world checks the rest.
 */
function specSet(noun: 'pod' | 'k8s'): JujucTool {
  return (argv, stdin, world) => {
    const { options, positional } = parseArgs(argv, { file: 'value', 'k8s-resources': 'value' });
    checkEmpty(positional);
    const spec = readArgumentFile(optionText(options, 'file') ?? '-', stdin, world.files);
    if (!spec.trim()) failure(`no ${noun} spec specified: pipe ${noun} spec to command, or specify a file with --file`);
    const resourcesFile = optionText(options, 'k8s-resources');
    const resources = resourcesFile ? readArgumentFile(resourcesFile, '', world.files) : undefined;
    refuseOnSidecar(world);
    if (!world.isLeader()) {
      world.log('WARNING', `"${world.unitName}" is not the leader but is setting application k8s spec`);
      failure('this unit is not the leader');
    }
    const joined = resources === undefined ? spec : `${spec.replace(/\n?$/, '\n')}${resources}`;
    const document = parseDocument(joined, { version: '1.1', prettyErrors: false });
    if (document.errors[0]) failure(`yaml: ${document.errors[0].message.split('\n')[0]}`);
    const problem = world.checkPodSpec?.(document.toJS(), spec, resources);
    if (problem) failure(problem);
    if (world.changes.k8sRaw !== undefined) failure(ONE_SPEC_KIND);
    world.changes.podSpec = { spec, ...(resources === undefined ? {} : { k8sResources: resources }) };
    return ok();
  };
}

/** `pod-spec-set` (deprecated in 2.9 for k8s-spec-set). */
export const podSpecSet = /* @__PURE__ */ specSet('pod');
/** `k8s-spec-set`, the Juju 2.9 name of pod-spec-set. */
export const k8sSpecSet = /* @__PURE__ */ specSet('k8s');

/** `k8s-raw-set [--file <spec>|-]`: leader only, transactional; often several YAML documents. */
export const k8sRawSet: JujucTool = (argv, stdin, world) => {
  const { options, positional } = parseArgs(argv, { file: 'value' });
  checkEmpty(positional);
  const text = readArgumentFile(optionText(options, 'file') ?? '-', stdin, world.files);
  if (!text.trim()) failure('no k8s raw spec specified: pipe k8s raw spec to command, or specify a file with --file');
  refuseOnSidecar(world);
  if (!world.isLeader()) failure('this unit is not the leader');
  if (world.changes.podSpec) failure(ONE_SPEC_KIND);
  for (const document of parseAllDocuments(text, { version: '1.1' })) {
    if (document.errors[0]) failure(`yaml: ${document.errors[0].message.split('\n')[0]}`);
  }
  world.changes.k8sRaw = text;
  return ok();
};

/** The committed spec, as set (inferred: spec/hook-tools.md says no more of the getters). */
function specGet(which: 'podSpec' | 'rawSpec'): JujucTool {
  return (argv, _stdin, world) => {
    checkEmpty(parseArgs(argv, {}).positional);
    const spec = world.specs()[which];
    return ok(spec === undefined ? '' : spec.replace(/\n?$/, '\n'));
  };
}

/** `pod-spec-get` and `k8s-spec-get`: the committed pod spec. */
export const podSpecGet = /* @__PURE__ */ specGet('podSpec');
/** `k8s-raw-get`: the committed raw spec. */
export const k8sRawGet = /* @__PURE__ */ specGet('rawSpec');
