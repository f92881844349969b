import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';

/** The kinds of name a charm declares or a command takes. */
export type NameKind = 'charm' | 'application' | 'endpoint' | 'storage' | 'resource' | 'container' | 'action';

interface NameRule {
  readonly pattern: RegExp;
  /** What the rule allows, in words, for messages. */
  readonly allows: string;
  /** A name that passes, for messages. */
  readonly example: string;
}

// Names become file names (hooks/<endpoint>-relation-joined, resources/<name>/), flag
// names, environment values and Kubernetes object names, so each rule admits one plain
// path segment only: no `/`, no `.`, no space, no shell character, ASCII only. The
// patterns are Juju's where Juju has one (2.9 era: juju/charm v8, juju/names v4):
//
// - charm and application: juju/names application.go (ApplicationSnippet), the same as
//   juju/charm url.go validName: hyphen-separated words, each after the first with a letter.
// - endpoint: juju/names relation.go (RelationSnippet): Juju's relation keys
//   (`app:endpoint app:endpoint`) admit no other endpoint name.
// - storage: juju/names storage.go (StorageNameSnippet).
// - action: juju/charm v8 actions.go (actionNameRule; a leading digit is allowed since v6).
// - resource: juju/charm resource/meta.go only refuses an empty name; we take the
//   endpoint rule, as the model writes `resources/<name>/` and the name is a flag part.
// - container: juju/charm meta.go does not check them; Juju makes each a Kubernetes
//   container name, an RFC 1123 label; we also want a letter first.
const WORDS = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const RELATION = /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/;
const RULES: Record<NameKind, NameRule> = {
  charm: { pattern: WORDS, allows: 'lower-case letters and digits in words joined by single hyphens, starting with a letter, no word of digits only after the first', example: 'my-charm' },
  application: { pattern: WORDS, allows: 'lower-case letters and digits in words joined by single hyphens, starting with a letter, no word of digits only after the first', example: 'minio' },
  endpoint: { pattern: RELATION, allows: 'lower-case letters and digits in words joined by single hyphens or underscores, starting with a letter', example: 'object-storage' },
  storage: { pattern: WORDS, allows: 'lower-case letters and digits in words joined by single hyphens, starting with a letter, no word of digits only after the first', example: 'data' },
  resource: { pattern: RELATION, allows: 'lower-case letters and digits in words joined by single hyphens or underscores, starting with a letter', example: 'oci-image' },
  container: { pattern: /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/, allows: 'lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit', example: 'workload' },
  action: { pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, allows: 'lower-case letters, digits and hyphens, starting and ending with a letter or digit', example: 'backup' },
};

/**
 * The longest name accepted: a Kubernetes label's length. Juju has no single limit, but
 * application, container and endpoint names end up in Kubernetes object names and labels.
 */
export const MAX_NAME_LENGTH = 63;

/**
 * What is wrong with `name` as a `kind` of name, in a sentence that quotes it and says
 * what would pass; `undefined` when it is valid. The rules are Juju's (see
 * docs/reference/manifest.md, "Names"); reserved names are checked by the metadata schema.
 *
 * @example nameProblem('endpoint', 'x$(touch X)') // 'endpoint name "x$(touch X)" is not valid: use …'
 */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const rule = RULES[kind];
  const quoted = JSON.stringify(name);
  if (name.length > MAX_NAME_LENGTH) return `${kind} name ${quoted.slice(0, 40)}…" is ${name.length} characters long: use at most ${MAX_NAME_LENGTH}`;
  if (rule.pattern.test(name)) return undefined;
  return `${kind} name ${quoted} is not valid: use ${rule.allows} (for example "${rule.example}")`;
}

/**
 * `folder` joined with `segments`, checked to stay inside `folder`: every path built from
 * a name goes through here, so that a name such as `../../x` can never reach a file
 * outside its folder, whatever checked the name before.
 *
 * @throws Error naming the folder and the path when the result would leave the folder.
 * @example pathInside('/model/units/a-0', 'resources', name, 'content.yaml')
 */
export function pathInside(folder: string, ...segments: string[]): string {
  const base = resolve(folder);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (segments.some((s) => s.includes('\0')) || rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new Error(`refusing to write ${JSON.stringify(segments.join('/'))}: it is not inside ${base}`);
  }
  return target;
}

/** A name problem as a zod issue placed on the key `path` (parseYamlText reports its line and column). */
function nameIssue(ctx: z.RefinementCtx, path: PropertyKey[], message: string, atKey = true): void {
  ctx.addIssue({ code: 'custom', path, message, params: { code: 'INVALID_NAME', atKey } });
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Juju's reserved endpoint and action names (juju/charm meta.go reservedName): `juju` and `juju-*`, unless the charm's own name starts with `juju-`. */
function reservedProblem(charmName: unknown, name: string): string | undefined {
  if (typeof charmName === 'string' && charmName.startsWith('juju-')) return undefined;
  if (name === 'juju' || name.startsWith('juju-')) return `"${name}" is reserved by Juju ("juju" and names starting with "juju-"): choose another name`;
  return undefined;
}

/**
 * Checks every name in a metadata.yaml document as Juju does (juju/charm meta.go Check):
 * the charm name, endpoints (valid, not reserved, not declared twice across provides,
 * requires and peers), storage, resources (and their `filename`, which may not contain
 * `/`, juju/charm resource/meta.go), containers. Used as a zod refinement, so each problem
 * gets the line and column of its key. With `syntaxOnly`, only each name's form is checked
 * (for one layer's file, before the merge decides what is reserved or declared twice).
 */
export function checkMetadataNames(metadata: Record<string, unknown>, ctx: z.RefinementCtx, options: { syntaxOnly?: boolean } = {}): void {
  if (!isMap(metadata)) return;
  if (typeof metadata.name === 'string') {
    const problem = nameProblem('charm', metadata.name);
    if (problem) nameIssue(ctx, ['name'], `${problem}; the charm name also names the application and its hooks' files`, false);
  }
  const seen = new Map<string, string>();
  for (const role of ['provides', 'requires', 'peers'] as const) {
    const endpoints = metadata[role];
    if (!isMap(endpoints)) continue;
    for (const [name, spec] of Object.entries(endpoints)) {
      const problem = nameProblem('endpoint', name);
      if (problem) {
        nameIssue(ctx, [role, name], `${problem}; the name makes hook file names (${role}.<name> → hooks/<name>-relation-joined)`);
        continue;
      }
      // A subordinate's container-scoped requires may use the juju- names (meta.go Check).
      if (options.syntaxOnly) continue;
      const exempt = metadata.subordinate === true && role === 'requires' && isMap(spec) && spec.scope === 'container';
      const reserved = exempt ? undefined : reservedProblem(metadata.name, name);
      if (reserved) nameIssue(ctx, [role, name], `endpoint name ${reserved}`);
      const other = seen.get(name);
      if (other) nameIssue(ctx, [role, name], `endpoint name "${name}" is already declared under ${other}: each endpoint needs its own name`);
      seen.set(name, role);
    }
  }
  const simple: [string, NameKind][] = [
    ['storage', 'storage'],
    ['resources', 'resource'],
    ['containers', 'container'],
  ];
  for (const [key, kind] of simple) {
    const declared = metadata[key];
    if (!isMap(declared)) continue;
    for (const name of Object.keys(declared)) {
      const problem = nameProblem(kind, name);
      if (problem) nameIssue(ctx, [key, name], problem);
    }
  }
  if (isMap(metadata.resources)) {
    for (const [name, spec] of Object.entries(metadata.resources)) {
      if (isMap(spec) && typeof spec.filename === 'string' && (spec.filename.includes('/') || spec.filename.includes('\\') || spec.filename === '..' || spec.filename === '.')) {
        nameIssue(ctx, ['resources', name, 'filename'], `resource filename ${JSON.stringify(spec.filename)} is not a plain file name: remove the folders ("/"), Juju puts the file in the resource's own folder`, false);
      }
    }
  }
}

/** Checks every action name of an actions.yaml document (juju/charm v8 actions.go: actionNameRule, reservedName). */
export function checkActionNames(actions: Record<string, unknown>, ctx: z.RefinementCtx, charmName?: string): void {
  if (!isMap(actions)) return;
  for (const name of Object.keys(actions)) {
    const problem = nameProblem('action', name) ?? reservedProblem(charmName, name);
    if (problem) nameIssue(ctx, [name], problem.startsWith('"') ? `action name ${problem}` : problem);
  }
}
