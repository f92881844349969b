// `pnpm demo`: builds the MinIO example and deploys it on a fresh local model
// (.charms-model in this folder), with a public MinIO image as its oci-image resource.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const charms = join(root, 'packages', 'cli', 'bin', 'charms.cjs');
rmSync(join(root, '.charms-model'), { recursive: true, force: true });
const result = spawnSync(process.execPath, [charms, 'deploy', 'examples/minio', '--resource', 'oci-image=minio/minio:RELEASE.2021-09-24T00-24-24Z'], {
  cwd: root,
  stdio: 'inherit',
});
process.exitCode = result.status ?? 1;
