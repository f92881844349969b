import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { commonJsBundle } from './bundle.js';
import { BuildError } from './build-error.js';

/** The marker Node looks for to know it carries an application (Node's SEA documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Makes a Node single executable application of the charm: the bundle as CommonJS,
 * turned into a blob by `node --experimental-sea-config`, injected with postject into a
 * copy of this Node binary. Returns the executable's path in `workDir`.
 * @throws BuildError `EMBED_FAILED` with the step that failed.
 */
export async function embedNode(bundlePath: string, workDir: string): Promise<string> {
  const script = join(workDir, 'charm.cjs');
  const blob = join(workDir, 'charm.blob');
  const executable = join(workDir, 'charm');
  writeFileSync(script, await commonJsBundle(bundlePath));
  // useCodeCache: the blob carries V8's code cache of the script, made by this Node, which is
  // the Node the executable is a copy of, so V8 always takes it (the bundle's own cache,
  // start.cjs, is not used in a single executable: it runs one script). MinIO's executable
  // with it: 175-179 against 191-200 ms of CPU per start, medians of 15, loaded machine.
  writeFileSync(join(workDir, 'sea-config.json'), JSON.stringify({ main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  const prepared = spawnSync(process.execPath, ['--experimental-sea-config', join(workDir, 'sea-config.json')], { encoding: 'utf8' });
  if (prepared.status !== 0) throw new BuildError('EMBED_FAILED', `node --experimental-sea-config failed: ${prepared.stderr.trim()}`);
  copyFileSync(process.execPath, executable);
  chmodSync(executable, 0o755);
  // postject's native part prints harmless warnings about ELF notes: run it apart and
  // show its output only if it fails.
  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const injected = spawnSync(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { encoding: 'utf8' });
  if (injected.status !== 0) {
    throw new BuildError('EMBED_FAILED', `cannot embed the charm into a copy of ${process.execPath}: ${(injected.stderr || injected.stdout).trim()}`);
  }
  return executable;
}
