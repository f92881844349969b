import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureFileSchema } from '@charms/conformance';
import { isFixtureFile } from '@charms/conformance/testing';

const here = dirname(fileURLToPath(import.meta.url));
const folders = [
  join(here, '..', 'shared', 'cases'),
  join(here, '..', 'shared', 'public'),
  join(here, '..', 'shared', 'endpoints', 'cases'),
  join(here, '..', 'shared', 'endpoints', 'public'),
  join(here, '..', 'fixtures', 'charm-helpers'),
];
const files = folders.flatMap((folder) => readdirSync(folder).filter((name) => name.endsWith('.json')).map((name) => join(folder, name)));
const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

// A small deterministic generator, so that a failure can be replayed.
function generator(seed: number) {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return { next, pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]! };
}

type Node = Record<string, unknown> | unknown[];

/** Every object and array in a JSON value, the value itself included. */
function containers(value: unknown, out: Node[] = []): Node[] {
  if (typeof value !== 'object' || value === null) return out;
  out.push(value as Node);
  for (const child of Object.values(value)) containers(child, out);
  return out;
}

const REPLACEMENTS: unknown[] = [null, undefined, 0, -1, 1.5, 2 ** 60, '', 'x', true, false, [], {}, [''], ['x'], [1], [null], { x: 1 }];
/** A fresh copy of one replacement value (a shared one could end up inside itself). */
const replacement = (rng: ReturnType<typeof generator>): unknown => structuredClone(rng.pick(REPLACEMENTS));
const KEYS = ['zz', 'value', 'then', 'else', 'default', 'config', 'hook', 'when', 'decorators', 'callback', 'set', 'exit', 'only_once', 'error_detail'];

/** One random change somewhere in `copy`: a key added, removed or given another value; an item changed. */
function mutate(copy: unknown, rng: ReturnType<typeof generator>): void {
  const node = rng.pick(containers(copy));
  if (Array.isArray(node)) {
    if (node.length > 0 && rng.next() < 0.5) node[Math.floor(rng.next() * node.length)] = replacement(rng);
    else if (node.length > 0 && rng.next() < 0.5) node.splice(Math.floor(rng.next() * node.length), 1);
    else node.push(replacement(rng));
    return;
  }
  const keys = Object.keys(node);
  const choice = rng.next();
  if (choice < 0.35 || keys.length === 0) node[rng.pick(KEYS)] = replacement(rng);
  else if (choice < 0.6) delete node[rng.pick(keys)];
  else node[rng.pick(keys)] = replacement(rng);
}

describe('the quick fixture check', () => {
  it('accepts every shipped fixture, so that none of them pays for zod', () => {
    expect(files.length).toBeGreaterThan(330);
    for (const file of files) expect(isFixtureFile(read(file)), file).toBe(true);
  });

  it('agrees with the schema: it never accepts what zod rejects, and what it accepts zod returns unchanged', () => {
    let accepted = 0;
    let rejected = 0;
    for (const [index, file] of files.entries()) {
      const original = read(file);
      const rng = generator(index + 1);
      for (let round = 0; round < 24; round += 1) {
        const copy = structuredClone(original);
        const changes = 1 + Math.floor(rng.next() * 2);
        for (let i = 0; i < changes; i += 1) mutate(copy, rng);
        if (!isFixtureFile(copy)) {
          rejected += 1;
          continue;
        }
        accepted += 1;
        const parsed = fixtureFileSchema.safeParse(copy);
        expect(parsed.error?.issues, `${file}, round ${round}`).toBeUndefined();
        expect(parsed.data).toEqual(copy);
      }
    }
    // Both sides were exercised.
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(1000);
  }, 60_000); // 333 fixtures mutated many times each: seconds on a busy machine.

  it('turns down the cases the schema refines: shorthand keys beside a decorators list, both or neither of hook and hooks', () => {
    const valid = read(files[0]!) as { fixture: Record<string, unknown> & { handlers: Record<string, unknown>[] } };
    const both = structuredClone(valid);
    both.fixture.handlers[0] = { id: 'h', actions: [], when: ['a'], decorators: [{ when: ['b'] }] };
    const hookAndHooks = structuredClone(valid);
    hookAndHooks.fixture.hook = 'install';
    hookAndHooks.fixture.hooks = ['install'];
    const neither = structuredClone(valid);
    delete neither.fixture.hook;
    delete neither.fixture.hooks;
    for (const bad of [both, hookAndHooks, neither]) {
      expect(isFixtureFile(bad)).toBe(false);
      expect(fixtureFileSchema.safeParse(bad).success).toBe(false);
    }
  });
});
