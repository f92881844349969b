import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configOptionOrder } from './config-option-order.js';
import { isFixtureFile } from './fixture-check.js';
import type { FixtureFile } from './fixture-schema.js';

/** A fixture file, read and validated, or the reason it could not be. */
export type LoadedFixture =
  | {
      readonly file: string;
      readonly ok: true;
      readonly data: FixtureFile;
      /** `config_options` names in file order (JSON.parse moves integer-like names first). */
      readonly configOptionOrder: readonly string[];
    }
  | { readonly file: string; readonly ok: false; readonly problem: string };

/**
 * Every `*.json` file named by `paths` (files, or folders searched recursively), in
 * sorted order per folder.
 * @throws Error naming the path when it does not exist.
 */
export async function fixtureFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full).catch(() => {
      throw new Error(`${path}: no such file or folder. Pass fixture files or folders that hold them.`);
    });
    if (info.isDirectory()) files.push(...(await jsonFilesUnder(full)));
    else files.push(full);
  }
  return files;
}

async function jsonFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await jsonFilesUnder(full)));
    else if (entry.name.endsWith('.json')) files.push(full);
  }
  return files;
}

/**
 * Reads and validates one fixture file; every problem names the file and the JSON path.
 * A valid file is recognised by a quick check; zod's schema (loaded only then) reads
 * the others and says what is wrong with them.
 */
export async function loadFixture(file: string): Promise<LoadedFixture> {
  let json: unknown;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
    json = JSON.parse(text);
  } catch (error) {
    return { file, ok: false, problem: `not readable JSON: ${(error as Error).message}` };
  }
  let data: FixtureFile;
  if (isFixtureFile(json)) {
    data = json;
  } else {
    const { fixtureFileSchema } = await import('./fixture-schema.js');
    const parsed = fixtureFileSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`);
      return { file, ok: false, problem: `not in the fixture format: ${problems.join('; ')}` };
    }
    data = parsed.data;
  }
  return { file, ok: true, data, configOptionOrder: configOptionOrder(text, data.fixture.config_options) };
}
