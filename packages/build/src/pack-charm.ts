import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isKubernetesCharm, loadMetadata, type CharmMetadata } from '@charms/manifest';
import { stringifyCharmYaml } from '@charms/manifest';
import yazl from 'yazl';
import { listFiles, MANIFEST_FILE } from './build-manifest.js';
import { BuildError } from './build-error.js';
import { embedNode } from './embed-node.js';
import { nodeBaseProblem } from './node-compat.js';
import { BUNDLE_FILE, CODE_CACHE_FILE } from './start-script.js';

/** Options for {@link packCharm}. */
export interface PackOptions {
  readonly builtDir: string;
  /** Default: `./<name>.charm`. */
  readonly output?: string;
  /** Embed this Node.js as `bin/charm` (a single executable application). */
  readonly withNode?: boolean;
  readonly onStep?: (step: string) => void;
}

export interface PackSummary {
  readonly file: string;
  readonly entries: number;
  readonly bytes: number;
  readonly embeddedNode: boolean;
}

/** A fixed time for every zip entry, so that packing the same charm twice gives the same bytes. */
const ENTRY_TIME = new Date('2020-01-01T00:00:00Z');

/**
 * Zips a built charm into a `.charm` file with the layout Juju expects: metadata.yaml,
 * config.yaml and actions.yaml when present, a generated manifest.yaml, dispatch,
 * hooks/, the bundle and the charm's other files, with executable bits kept.
 *
 * @throws BuildError `NOT_BUILT` for a folder charms build did not write.
 */
export async function packCharm(options: PackOptions): Promise<PackSummary> {
  const builtDir = resolve(options.builtDir);
  if (!existsSync(join(builtDir, MANIFEST_FILE)) || !existsSync(join(builtDir, 'dispatch'))) {
    throw new BuildError('NOT_BUILT', `${builtDir} is not a built charm (no ${MANIFEST_FILE} or dispatch): run charms build first`);
  }
  const metadata = loadMetadata(builtDir);
  const file = resolve(options.output ?? `${metadata.name}.charm`);

  const extra = new Map<string, { content: Buffer; mode: number }>();
  extra.set('manifest.yaml', { content: Buffer.from(manifestYaml(metadata)), mode: 0o644 });
  let scratch: string | undefined;
  if (options.withNode) {
    options.onStep?.('embedding Node.js');
    // The copy is of this Node: refused before anything is copied when the charm's base could not start it.
    const problem = nodeBaseProblem(process.execPath, baseChannel(metadata), ARCHITECTURE);
    if (problem) throw new BuildError('EMBED_FAILED', problem);
    scratch = mkdtempSync(join(tmpdir(), 'charms-sea-'));
    const executable = await embedNode(join(builtDir, 'dist', BUNDLE_FILE), scratch);
    extra.set('bin/charm', { content: readFileSync(executable), mode: 0o755 });
  }

  options.onStep?.('zipping');
  const zip = new yazl.ZipFile();
  // A code cache a hook wrote in this folder belongs to the Node that ran it: each unit makes its own.
  const paths = listFiles(builtDir, builtDir).filter((path) => path !== MANIFEST_FILE && !path.startsWith(`dist/${CODE_CACHE_FILE}`) && !extra.has(path));
  for (const path of paths) {
    const mode = statSync(join(builtDir, path)).mode & 0o111 ? 0o755 : 0o644;
    zip.addBuffer(readFileSync(join(builtDir, path)), path, { mtime: ENTRY_TIME, mode: 0o100000 | mode });
  }
  for (const [path, entry] of [...extra].sort(([a], [b]) => (a < b ? -1 : 1))) {
    zip.addBuffer(entry.content, path, { mtime: ENTRY_TIME, mode: 0o100000 | entry.mode });
  }
  zip.end();
  await new Promise<void>((done, fail) => {
    zip.outputStream.pipe(createWriteStream(file)).on('close', done).on('error', fail);
  });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  return { file, entries: paths.length + extra.size, bytes: statSync(file).size, embeddedNode: Boolean(options.withNode) };
}

/** The Ubuntu channel of the charm's base (see manifestYaml). */
function baseChannel(metadata: CharmMetadata): string {
  return isKubernetesCharm(metadata) ? '20.04' : '22.04';
}

/**
 * charmcraft's manifest.yaml: how the charm was made, and the bases it runs on. Juju 3.x
 * reads only `bases` (internal/charm/manifest.go: each `name`, `channel` as a string,
 * `architectures`) and deploys a charm on one of them. A sidecar charm (and a machine
 * charm) gets `ubuntu` `22.04`, the base of the charm container the Juju agent image
 * runs; a podspec charm (`series: [kubernetes]`) gets `ubuntu` `20.04`, the focal base
 * Juju 3.x still deploys podspec charms on. charmcraft writes the same keys, with
 * `charmcraft-version` and `analysis`.
 */
/** The one architecture manifest.yaml names, and that an embedded Node must be built for. */
const ARCHITECTURE = 'amd64';

function manifestYaml(metadata: CharmMetadata): string {
  const channel = baseChannel(metadata);
  return stringifyCharmYaml({
    'charmcraft-version': 'charms.ts',
    analysis: { attributes: [{ name: 'language', result: 'typescript' }, { name: 'framework', result: 'reactive' }] },
    bases: [{ name: 'ubuntu', channel, architectures: [ARCHITECTURE] }],
  });
}
