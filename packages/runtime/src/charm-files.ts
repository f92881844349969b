import type { CharmConfigYaml, CharmMetadata, LayerYaml } from '@charms/manifest';

/** A charm's metadata.yaml, config.yaml and layer.yaml, read and checked. */
export interface CharmFiles {
  readonly metadata: CharmMetadata;
  readonly configYaml: CharmConfigYaml | undefined;
  readonly layerYaml: LayerYaml | undefined;
}

/**
 * Reads and checks the three files from the charm directory. The YAML parser and the
 * schemas are loaded only here, on demand: they cost a hook tens of milliseconds, and a
 * charm made by `charms build` carries the files in its bundle instead.
 * @throws ManifestError naming the file, line and key of every problem.
 */
export async function readCharmFiles(charmDir: string): Promise<CharmFiles> {
  if (typeof CHARMS_BUNDLE_CARRIES_FILES !== 'undefined') {
    throw new Error(`the charm bundle carries its files, yet was asked to read them from ${charmDir}`);
  } else {
    const { loadConfigYaml, loadLayerYaml, loadMetadata } = await import('@charms/manifest');
    return { metadata: loadMetadata(charmDir), configYaml: loadConfigYaml(charmDir), layerYaml: loadLayerYaml(charmDir) };
  }
}

/**
 * Set to true by `charms build` (esbuild's `define`, bundle.ts) in a bundle whose entry
 * hands `main` the checked files; undeclared, so `typeof` "undefined", everywhere else.
 * esbuild drops the branch the constant rules out, and with it the `import()` above: an
 * `import()` anywhere in a bundle's code, even one that never runs, makes a chunk of its
 * module, and the chunks are split as if it ran. The manifest package's main entry in the
 * bundle would put zod's core, shared with the pod spec schema, in one chunk with every
 * zod locale the full build keeps (730 KB where 60 KB do), and a hook that checks a pod
 * spec would load it all.
 */
declare const CHARMS_BUNDLE_CARRIES_FILES: boolean | undefined;
