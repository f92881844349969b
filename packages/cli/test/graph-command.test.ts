import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCharm, charmGraph, toSvg } from '@charms/cli/testing';
import { runCommand } from './helpers/run-command.js';

// `charms graph --format svg|html` as users run it (bin/charms.mjs): the layout is async
// (elk's), and the command waits for it before writing.

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const minio = join(repo, 'examples', 'minio');
const charmsBin = join(repo, 'packages', 'cli', 'bin', 'charms.mjs');
const charms = (...args: string[]) => runCommand(process.execPath, [charmsBin, ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' }, timeout: 90_000 });
const work = mkdtempSync(join(tmpdir(), 'graph-command-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('charms graph --format svg|html', () => {
  it('writes the laid-out SVG to a file: the same bytes as in this process, from another process', async () => {
    const file = join(work, 'minio.svg');
    const result = await charms('graph', minio, '--format', 'svg', '-o', file);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout.trim()).toBe(`wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(await toSvg(charmGraph(await analyzeCharm(minio))));
  }, 120_000);

  it('prints the HTML page, titled with the charm name, on stdout', async () => {
    const result = await charms('graph', minio, '--format', 'html');
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(result.stdout).toMatch(/^<!doctype html>/);
    expect(result.stdout).toContain('<h1>minio: handlers and flags</h1>');
    expect(result.stdout).toContain('class="edge not back" data-from="charm.minio.started" data-to="minio:Minio.start"');
  }, 120_000);
});
