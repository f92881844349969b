/**
 * Charm staging: a built charm (folder or `.charm`) checked and copied into the model,
 * then one copy per unit, as Juju unpacks one per unit.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadMetadata, type CharmMetadata } from '@charms/manifest';
import { unpackCharm } from './charm-source.js';
import { ModelError } from './model-errors.js';

/** A built charm copied into a staging folder, with its metadata. */
export interface StagedCharm {
  readonly charmDir: string;
  readonly metadata: CharmMetadata;
}

/**
 * Copies or unpacks the built charm `source` into a fresh staging folder inside `modelDir`
 * and calls `use` with it; the staging folder is deleted afterwards, whatever happens (a
 * charm `use` moved out of it stays where it went).
 * @throws ModelError `NOT_FOUND` when `source` does not exist, `INVALID_CHARM` when it was
 *   not built (no dispatch); ManifestError for bad metadata.
 */
export async function withStagedCharm<T>(modelDir: string, source: string, use: (staged: StagedCharm) => T | Promise<T>): Promise<T> {
  const staging = mkdtempSync(join(modelDir, '.staging-'));
  try {
    const charmDir = join(staging, 'charm');
    const found = statSync(source, { throwIfNoEntry: false });
    if (!found) throw new ModelError('NOT_FOUND', `${source}: no such file or folder: give a built charm folder or a .charm file`);
    if (found.isDirectory()) cpSync(resolve(source), charmDir, { recursive: true });
    else await unpackCharm(resolve(source), charmDir);
    if (!existsSync(join(charmDir, 'dispatch'))) {
      throw new ModelError('INVALID_CHARM', `${source} is not a built charm (no dispatch): build it with charms build first`);
    }
    return await use({ charmDir, metadata: loadMetadata(charmDir) });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves a staged charm to `target`, replacing what was there. */
export function installCharm(charmDir: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  renameSync(charmDir, target);
}

/** Gives a unit its own copy of the application's charm; the unit's state file survives (upgrades keep it). */
export function copyCharm(appCharmDir: string, unitDir: string): void {
  const target = join(unitDir, 'charm');
  const stateFile = join(target, '.unit-state.json');
  const state = existsSync(stateFile) ? readFileSync(stateFile) : undefined;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  cpSync(appCharmDir, target, { recursive: true });
  if (state) writeFileSync(stateFile, state, { mode: 0o600 });
}
