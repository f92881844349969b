// `pnpm test:browser`: renders the MinIO charm's graph (SVG and HTML) in headless
// Chromium and checks that pictures come out. Needs Chromium (Debian: apt-get install
// chromium); kept out of `pnpm test`, which must run where only Node is installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'graph-browser-'));
const browser = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].find(
  (name) => name && spawnSync('sh', ['-c', `command -v ${name}`]).status === 0,
);
if (!browser) {
  console.error('Chromium not found: install it (Debian: apt-get install chromium) or set CHROMIUM.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
for (const format of ['svg', 'html']) {
  const file = join(work, `minio.${format}`);
  const png = join(work, `minio-${format}.png`);
  spawnSync(process.execPath, [join(root, 'packages', 'cli', 'bin', 'charms.mjs'), 'graph', 'examples/minio', '--format', format, '-o', file], { cwd: root });
  spawnSync(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    `--user-data-dir=${mkdtempSync(join(tmpdir(), 'chromium-'))}`, `--screenshot=${png}`, '--window-size=940,700', pathToFileURL(file).href], { timeout: 60_000 });
  // A PNG of the window's size, and big enough to hold a drawing rather than a blank page.
  const ok = existsSync(png) && (() => {
    const data = readFileSync(png);
    return data.readUInt32BE(16) === 940 && data.readUInt32BE(20) === 700 && data.length > 20_000;
  })();
  console.log(`${ok ? 'ok  ' : 'FAIL'} the ${format} graph renders in ${browser} (${png})`);
  if (ok) passed += 1;
  else failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
