import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { copyFixture, out, runHook } from './helpers/two-layers.js';

// dispatch runs the bundle without --enable-source-maps (Node would read every map at
// load); the bundle maps a stack itself when it is written. These tests hold it to what
// Node writes with the flag, frame for frame.

const BOOM = `import { defineLayer } from '@charms/reactive';

function check(port: number): void {
  if (port > 0) {
    throw new Error(\`port \${port} refused on purpose\`);
  }
}

export default defineLayer('boom', (r) => {
  r.handle({ hook: 'install' }, async function install() {
    await Promise.resolve();
    check(80);
  });
});
`;

/** The frames of the failed handler's stack in a hook's stderr: the lines after the error. */
function frames(stderr: string): string[] {
  const lines = stderr.split('\n');
  const start = lines.findIndex((line) => line.includes('port 80 refused on purpose'));
  expect(start, stderr).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !line.startsWith('    at '));
  return end === -1 ? rest : rest.slice(0, end);
}

describe('stack traces of a built charm', () => {
  let built: string;
  let charm: string;
  beforeAll(async () => {
    const copy = copyFixture();
    charm = copy.charm;
    writeFileSync(join(charm, 'reactive', 'zz-boom.ts'), BOOM);
    built = (await buildCharm({ charmDir: charm, outDir: out(), typecheck: false })).outDir;
  }, 120_000);

  it('dispatch does not turn on Node’s source maps', () => {
    expect(readFileSync(join(built, 'dispatch'), 'utf8')).not.toContain('--enable-source-maps');
  });

  it('a failing handler’s stack names the charm’s TypeScript lines, as node --enable-source-maps writes them', async () => {
    const ours = await runHook(built, 'install');
    const nodes = await runHook(built, 'install', { NODE_OPTIONS: '--enable-source-maps' });
    expect(ours.status).toBe(1);
    expect(nodes.status).toBe(1);
    const boom = join(built, 'reactive', 'zz-boom.ts');
    const mine = frames(ours.stderr);
    expect(mine[0]).toBe(`    at check (${boom}:5:11)`);
    expect(mine[1]).toBe(`    at install (${boom}:12:5)`);
    expect(mine.some((line) => line.includes(join(built, 'node_modules', '@charms', 'reactive', 'src')))).toBe(true);
    expect(mine).toEqual(frames(nodes.stderr));
    // The first hook wrote the bundle's code cache; a hook compiled from it writes the same frames.
    expect(existsSync(join(built, 'dist', '.v8-code-cache'))).toBe(true);
    const cached = await runHook(built, 'install');
    expect(frames(cached.stderr)).toEqual(mine);
  }, 120_000);

  it('a bundle without its maps writes plain frames, naming the bundle', async () => {
    const copy = join(out(), '..', 'nomap');
    cpSync(built, copy, { recursive: true });
    rmSync(join(copy, 'dist', 'charm.cjs.map'));
    rmSync(join(copy, 'dist', '.v8-code-cache'), { force: true });
    for (const name of readdirSync(join(copy, 'dist', 'chunks'))) if (name.endsWith('.map')) rmSync(join(copy, 'dist', 'chunks', name));
    const hook = await runHook(copy, 'install');
    expect(hook.status).toBe(1);
    const plain = frames(hook.stderr);
    expect(plain[0]).toMatch(new RegExp(`^    at check \\(${join(copy, 'dist', 'charm.cjs').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+\\)$`));
  }, 120_000);
});
