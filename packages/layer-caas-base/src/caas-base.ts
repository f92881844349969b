import { HookToolError, NotLeaderError, type SpecDocument } from '@charms/hooktools';
import { currentContext } from '@charms/reactive';
import type { CharmCallbackContext } from '@charms/runtime';
import type { PodSpecV3 } from '@charms/manifest/pod-spec';
import { PodSpecError } from './pod-spec-error.js';

// The pod spec schema and the YAML reader and writer load on first use: most hooks set
// no spec. Each from its own small entry of @charms/manifest (its main entry would bring
// every schema, zod's full build and ajv: ~100 ms of a hook's start).
type Manifest = typeof import('@charms/manifest/pod-spec') & typeof import('@charms/manifest/yaml');
const loadManifest = async (): Promise<Manifest> => {
  const [schema, yaml] = await Promise.all([import('@charms/manifest/pod-spec'), import('@charms/manifest/yaml')]);
  return { ...schema, ...yaml };
};

// Juju says this when a hook of an application being removed sets its spec; harmless.
const NOT_ALIVE = /^ERROR application [\w-]+ not alive$/m;

/**
 * Checks a pod spec v3 and sends it with `pod-spec-set` (YAML on stdin, the k8s
 * resources in `--k8s-resources`). Leader only; Juju applies it when the hook commits.
 * An "application … not alive" refusal (the application is being removed) is logged
 * and ignored.
 *
 * @throws PodSpecError `POD_SPEC_INVALID` naming every bad field (nothing is sent),
 * `POD_SPEC_NOT_LEADER` on a non-leader, `POD_SPEC_REJECTED` when Juju refuses it.
 * @example await podSpecSet({ version: 3, containers: [{ name: 'minio', imageDetails: { imagePath } }] });
 */
export async function podSpecSet(spec: PodSpecV3 | string, k8sResources?: Record<string, unknown> | string): Promise<void> {
  const context = currentContext('podSpecSet') as CharmCallbackContext;
  const manifest = await loadManifest();
  const text = checkedSpecText(manifest, spec, k8sResources);
  const resources = k8sResources === undefined ? undefined : typeof k8sResources === 'string' ? k8sResources : manifest.stringifyCharmYaml(k8sResources);
  await runSpecTool(context, 'pod-spec-set', () => context.tools.podSpecSet(text, resources === undefined ? {} : { k8sResources: resources }));
}

/**
 * Sends raw Kubernetes resources with `k8s-raw-set` (Juju 2.9).
 * @throws PodSpecError `POD_SPEC_NOT_LEADER` or `POD_SPEC_REJECTED`.
 */
export async function k8sRawSet(spec: Record<string, unknown> | string): Promise<void> {
  const context = currentContext('k8sRawSet') as CharmCallbackContext;
  const text: SpecDocument = typeof spec === 'string' ? spec : (await import('@charms/manifest/yaml')).stringifyCharmYaml(spec);
  await runSpecTool(context, 'k8s-raw-set', () => context.tools.k8sRawSet(text));
}

/** The spec as YAML, after checking it (and its k8s resources) against pod spec v3. */
function checkedSpecText(manifest: Manifest, spec: PodSpecV3 | string, k8sResources: Record<string, unknown> | string | undefined): string {
  const value = typeof spec === 'string' ? parseDocument(manifest, spec, 'the pod spec') : spec;
  const resources = k8sResources === undefined ? {} : typeof k8sResources === 'string' ? parseDocument(manifest, k8sResources, 'the k8s resources') : k8sResources;
  // Juju concatenates the two files into one document, so check them together.
  const parsed = manifest.podSpecV3Schema.safeParse({ ...(value as object), ...(resources as object) });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(spec)'}: ${issue.message}`);
    throw new PodSpecError('POD_SPEC_INVALID', `the pod spec is not valid, nothing was sent:\n  ${problems.join('\n  ')}`, problems);
  }
  return typeof spec === 'string' ? spec : manifest.stringifyCharmYaml(spec);
}

function parseDocument(manifest: Manifest, text: string, what: string): unknown {
  try {
    // As Juju reads it: YAML 1.1, so `on` in the text is the boolean Juju will see.
    return manifest.readCharmYaml(text) ?? {};
  } catch (error) {
    throw new PodSpecError('POD_SPEC_INVALID', `${what} is not YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

async function runSpecTool(context: CharmCallbackContext, tool: string, send: () => Promise<void>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof HookToolError)) throw error;
    await context.log(`${tool} encountered an error: \`${error.stderr.trim()}\``, 'ERROR');
    if (NOT_ALIVE.test(error.stderr)) {
      await context.log(`Ignored error due to ${tool} getting called during app removal`, 'INFO');
      return;
    }
    if (error instanceof NotLeaderError) {
      throw new PodSpecError(
        'POD_SPEC_NOT_LEADER',
        `${tool} refused: this unit is not the leader. Only the leader sets the pod spec: guard the handler with ctx.tools.isLeader() (or a leadership flag).`,
        [],
        { cause: error },
      );
    }
    throw new PodSpecError('POD_SPEC_REJECTED', `${tool} failed: ${error.stderr.trim() || error.message}`, [], { cause: error });
  }
}
