import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharm } from '@charms/build';
import { createModel, type LocalModel } from '@charms/model';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures', 'interfaces');
// Two builds, then hooks that each start Node: minutes on a busy two-core machine.
const TIMEOUT = 120_000;
let web: string;
let client: string;

const build = (name: string) => buildCharm({ charmDir: join(fixtures, name), outDir: join(mkdtempSync(join(tmpdir(), `${name}-`)), name) }).then((s) => s.outDir);

beforeAll(async () => {
  [web, client] = await Promise.all([build('web'), build('client')]);
}, 360_000);

let model: LocalModel | undefined;
afterAll(() => model?.destroy(), TIMEOUT);

const message = (app: string) => model!.status().applications[app]!.units[`${app}/0`]!['workload-status'].message;

describe('interface:NAME includes in a built charm', { timeout: TIMEOUT }, () => {
  it('the bundle holds the interface layer and its Endpoint classes', () => {
    const entry = readFileSync(join(client, 'dist', 'charm.cjs'), 'utf8');
    expect(entry).toContain('HttpRequires');
    expect(entry).toContain('defineInterface("http"');
  });

  it("a built charm's hooks run the interface's handlers and its endpoints are the interface's classes", async () => {
    model = await createModel();
    await model.deploy(web, {});
    await model.deploy(client, {});
    await model.relate('client', 'web');
    expect(message('web')).toBe('published');
    expect(model.snapshot().relations[0]!.data['web/0']).toMatchObject({ hostname: 'web.example', port: '8080' });
    // The relation hooks set backend.available (HttpRequires.changed) after the charm's
    // handler ran; the next hook's handler sees it.
    await model.run('client/0', 'update-status');
    expect(message('client')).toBe('available: web web.example:8080');
  });
});
