import { spawnSync } from 'node:child_process';

/**
 * The Chromium the browser tests drive: `$CHROMIUM` when set, else the first of the
 * usual names on PATH. Missing Chromium fails the test with the way to fix it, rather
 * than skipping it: `.ci/run` installs Debian's package when none is there.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'];
  for (const name of candidates) {
    if (!name) continue;
    const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  throw new Error(
    'Chromium not found: the graph tests render in headless Chromium. Install it (Debian: apt-get install -y chromium) or set CHROMIUM to its path.',
  );
}
