import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LaunchOptions } from 'puppeteer-core';

/** The npm package that brings a Chromium with `pnpm install`. */
export const PACKAGED_CHROMIUM = '@sparticuz/chromium';

/** The names a system Chromium goes by on PATH, in the order they are tried. */
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/**
 * Flags for every Chromium the tests start, whichever it is. The network is closed
 * here, so nothing may wait on it.
 */
const ARGS = [
  // Root in CI: Chromium's sandbox refuses to start as root.
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
];

/** A Chromium for the browser tests, and how to start it. */
export interface TestChromium {
  /** Where the browser came from, for messages. */
  readonly source: '$CHROMIUM' | 'PATH' | typeof PACKAGED_CHROMIUM;
  /**
   * The font family text is drawn in, when the tests decide it: the packaged build
   * draws with the Open Sans it brings, on any machine. Undefined for a system
   * Chromium, which draws with the machine's fonts.
   */
  readonly font: string | undefined;
  /** What to pass to `puppeteer.launch()`. */
  readonly launchOptions: LaunchOptions;
}

/**
 * The Chromium the browser tests drive: `$CHROMIUM` when set, else a system Chromium on
 * PATH, else the one `@sparticuz/chromium` unpacks under the temporary directory (on
 * the first call a few seconds; later calls reuse it).
 *
 * @param dir An empty directory the caller owns and removes: the browser profile and
 *   the font configuration go there.
 * @throws Error when `$CHROMIUM` names nothing runnable, or when there is no Chromium
 *   at all; the message says what to do.
 */
export async function testChromium(dir: string): Promise<TestChromium> {
  const userDataDir = join(dir, 'profile');
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv) {
    const path = onPath(fromEnv);
    if (!path) throw new Error(`CHROMIUM=${fromEnv} is not a program that can run: point it at a Chromium or Chrome, or unset it to use the one pnpm install brings.`);
    return { source: '$CHROMIUM', font: undefined, launchOptions: { executablePath: path, headless: true, userDataDir, args: ARGS } };
  }
  for (const name of SYSTEM_NAMES) {
    const path = onPath(name);
    if (path) return { source: 'PATH', font: undefined, launchOptions: { executablePath: path, headless: true, userDataDir, args: ARGS } };
  }
  return packagedChromium(dir, userDataDir);
}

/**
 * The build `@sparticuz/chromium` ships (x64 Linux only). It is a headless shell, hence
 * `headless: 'shell'`. Its recommended `args` are for AWS Lambda (one process, web
 * security off) and are not needed here. Its fonts.conf is read only on Lambda and
 * names `/tmp/fonts` whatever the temporary directory is, so the browser gets a
 * configuration of its own that lists only the unpacked fonts: labels are drawn in
 * Open Sans whether or not the machine has fonts.
 */
async function packagedChromium(dir: string, userDataDir: string): Promise<TestChromium> {
  const advice = `Run pnpm install (it brings ${PACKAGED_CHROMIUM}), install a chromium on PATH, or set CHROMIUM=/path/to/chrome.`;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`No Chromium for the browser tests: CHROMIUM is unset, none of ${SYSTEM_NAMES.join(', ')} is on PATH, and ${PACKAGED_CHROMIUM} has a build for x64 Linux only (this is ${process.platform}/${process.arch}). Install a chromium on PATH or set CHROMIUM=/path/to/chrome.`);
  }
  let executablePath: string;
  try {
    const { default: chromium } = await import('@sparticuz/chromium');
    executablePath = await chromium.executablePath();
  } catch (error) {
    throw new Error(`No Chromium for the browser tests: CHROMIUM is unset, none of ${SYSTEM_NAMES.join(', ')} is on PATH, and ${PACKAGED_CHROMIUM} could not unpack its build (${String(error)}). ${advice}`);
  }
  // The package reuses any chromium already in the temporary directory, even one an
  // older version left there or one another process is still writing.
  const expected = packagedChromiumManifest().version.split('.')[0];
  const ran = spawnSync(executablePath, ['--version'], { encoding: 'utf8' });
  const found = /Chromium (\d+)\./.exec(ran.stdout ?? '')?.[1];
  if (found !== expected) {
    throw new Error(`${executablePath} is not the Chromium ${expected} of ${PACKAGED_CHROMIUM} (it says: ${(ran.stdout || ran.stderr || String(ran.error)).trim()}). Remove it and run the tests again: the package unpacks its own.`);
  }
  const fonts = join(tmpdir(), 'fonts');
  const fontsConf = join(dir, 'fonts.conf');
  writeFileSync(fontsConf, `<?xml version="1.0"?>\n<fontconfig>\n  <dir>${xmlText(fonts)}</dir>\n  <cachedir>${xmlText(join(dir, 'fonts-cache'))}</cachedir>\n</fontconfig>\n`);
  return {
    source: PACKAGED_CHROMIUM,
    font: 'Open Sans',
    launchOptions: { executablePath, headless: 'shell', userDataDir, args: ARGS, env: { ...process.env, FONTCONFIG_FILE: fontsConf } },
  };
}

/** The installed `@sparticuz/chromium` package.json (its `exports` do not list it, so it is found from the entry point up). */
export function packagedChromiumManifest(): { name: string; version: string; engines?: { node?: string } } {
  let dir = dirname(createRequire(import.meta.url).resolve(PACKAGED_CHROMIUM));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string; engines?: { node?: string } };
      if (manifest.name === PACKAGED_CHROMIUM) return { ...manifest, name: manifest.name };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json of ${PACKAGED_CHROMIUM} above its entry point: run pnpm install.`);
    dir = parent;
  }
}

/** The full path of a program name (or path) as the shell finds it, or undefined. */
function onPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

function xmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
