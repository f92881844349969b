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
  const { loadConfigYaml, loadLayerYaml, loadMetadata } = await import('@charms/manifest');
  return { metadata: loadMetadata(charmDir), configYaml: loadConfigYaml(charmDir), layerYaml: loadLayerYaml(charmDir) };
}
