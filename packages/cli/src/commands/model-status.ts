import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppRecord, ModelRecord } from '@charms/model';
import type { RelationStatus, StatusJson, StatusOptions } from '@charms/model/status';
import type { CharmMetadata } from '@charms/manifest';
import { CliError } from '../cli-error.js';
import { goJsonEscape } from '@charms/hooktools/internal';

/**
 * The status of the model in `dir` without opening it: `model.json` (the model's state
 * file, in the shape `snapshot()` returns) and each application's `metadata.yaml`, given
 * to the model's own status functions (`options.utc`: times in UTC). Opening a LocalModel
 * loads the Kubernetes schemas, the config checks and the manifest schemas, several times
 * the cost of a bare Node start; `charms status` only reads. Undefined when there is nothing readable there (no
 * model yet, or a damaged one): the caller then opens the model, which creates it or
 * reports the damage.
 */
export async function readModelStatus(dir: string, options: StatusOptions = {}): Promise<{ status: StatusJson; relations: RelationStatus[] } | undefined> {
  let state: ModelRecord;
  try {
    state = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelRecord;
  } catch {
    return undefined;
  }
  const [{ modelStatus, relationStatus }, { parse }] = await Promise.all([import('@charms/model/status'), import('yaml')]);
  // Status reads the series, the endpoints, storage and deployment type from it; the model
  // checked the whole file when it deployed the charm.
  const metadataOf = (app: AppRecord) => parse(readFileSync(join(dir, app.charmDir, 'metadata.yaml'), 'utf8'), { version: '1.1' }) as CharmMetadata;
  try {
    return { status: modelStatus(state, metadataOf, options), relations: relationStatus(state) };
  } catch {
    return undefined;
  }
}

/** `charms status` options, as juju status has them. */
export interface StatusCommandOptions {
  readonly format: 'tabular' | 'json' | 'yaml';
  /** Times in UTC; otherwise JUJU_STATUS_ISO_TIME decides, as in Juju. */
  readonly utc?: boolean;
  /** The relations section of the tabular output (JSON and YAML never have one). */
  readonly relations?: boolean;
}

/**
 * Juju's `--utc`, else JUJU_STATUS_ISO_TIME read as Go's strconv.ParseBool does
 * (cmd/juju/status/status.go Init).
 * @throws CliError `INVALID_ARGUMENT` naming the variable when its value is not a boolean.
 */
export function isoTime(utc: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (utc) return true;
  const value = env.JUJU_STATUS_ISO_TIME;
  if (value === undefined || value === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new CliError('INVALID_ARGUMENT', `invalid JUJU_STATUS_ISO_TIME env var, expected true|false: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/**
 * Prints the status of the model in `dir` as `juju status` does: the table, or the JSON
 * or YAML document; then, for a model without applications, `Model "<name>" is empty.`
 * on stderr. False when there is no readable model there (nothing printed).
 */
export async function printModelStatus(dir: string, options: StatusCommandOptions): Promise<boolean> {
  const read = await readModelStatus(dir, { utc: isoTime(options.utc) });
  if (!read) return false;
  if (options.format === 'json') process.stdout.write(`${goJson(read.status)}\n`);
  else if (options.format === 'yaml') {
    const { stringify } = await import('yaml');
    // go-yaml v2's layout: sequences at their key's indentation, no line folding.
    process.stdout.write(stringify(read.status, { indentSeq: false, lineWidth: 0 }));
  } else {
    const { statusTable } = await import('@charms/model/status');
    process.stdout.write(statusTable(read.status, options.relations ? read.relations : []));
  }
  if (Object.keys(read.status.applications).length === 0) process.stderr.write(`Model "${read.status.model.name}" is empty.\n`);
  return true;
}

/** JSON as Go's json.Marshal writes it: one line, the status's own key order, HTML-safe escapes. */
function goJson(value: unknown): string {
  return goJsonEscape(JSON.stringify(value));
}
