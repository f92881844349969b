/**
 * What the model store derives from an application's charm files, kept while the files
 * stay the same: `metadata.yaml` and `config.yaml` as parsed (a deploy reads its charm's
 * metadata for the pod-spec-set check, the commit's manifests and the status), and the last
 * rendering of a pod spec (the commit writes the manifests of the spec pod-spec-set has
 * just checked, from the same inputs). A file is parsed again only when it changed (an
 * upgrade replaces it). Callers only read what they are given.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigYaml, loadMetadata, type CharmConfigYaml, type CharmMetadata } from '@charms/manifest';
import { renderManifests, type RenderedManifests, type RenderInput } from './manifests.js';

export class CharmFileCache {
  /** Parsed files by path, with the file's identity when it was read. */
  readonly #parsed = new Map<string, { readonly identity: string; readonly value: unknown }>();
  /** The last successful `render`, with what it was made from. */
  #lastRender: { readonly metadata: CharmMetadata; readonly input: RenderInput; readonly rendered: RenderedManifests } | undefined;

  /** The charm's metadata.yaml in `charmDir`. */
  metadata(charmDir: string): CharmMetadata {
    return this.#parse(join(charmDir, 'metadata.yaml'), () => loadMetadata(charmDir));
  }

  /** The charm's config.yaml in `charmDir`; undefined when it has none. */
  configYaml(charmDir: string): CharmConfigYaml | undefined {
    return this.#parse(join(charmDir, 'config.yaml'), () => loadConfigYaml(charmDir));
  }

  /** Renders a pod spec for application `app` at `scale`, with its charm's storage and deployment type. */
  render(app: string, scale: number, charmDir: string, spec: string, k8sResources: string | undefined): RenderedManifests {
    const metadata = this.metadata(charmDir) as CharmMetadata & { storage?: Record<string, { type?: string; location?: string; 'minimum-size'?: string }> };
    const input = { app, scale, spec, k8sResources, storage: metadata.storage, deploymentType: metadata.deployment?.type };
    const last = this.#lastRender;
    // The same metadata object is the same parse of an unchanged file (#parse).
    if (last && last.metadata === metadata && last.input.app === app && last.input.scale === scale && last.input.spec === spec && last.input.k8sResources === k8sResources) {
      return last.rendered;
    }
    const rendered = renderManifests(input);
    this.#lastRender = { metadata, input, rendered };
    return rendered;
  }

  /** The file at `path` as `parse` reads it, parsed again only when the file changed. */
  #parse<T>(path: string, parse: () => T): T {
    const found = statSync(path, { throwIfNoEntry: false });
    const identity = found ? `${found.dev}:${found.ino}:${found.size}:${found.mtimeMs}:${found.ctimeMs}` : 'missing';
    const known = this.#parsed.get(path);
    if (known?.identity === identity) return known.value as T;
    const value = parse();
    this.#parsed.set(path, { identity, value });
    return value;
  }
}
