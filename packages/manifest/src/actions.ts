import { join } from 'node:path';
import { z } from 'zod';
import { actionSchemaProblems } from './action-schema.js';
import { loadYamlFile } from './load-yaml.js';
import { checkActionNames } from './names.js';

/** One parameter: a draft-4 JSON Schema (the keys named here are the ones `charms types` and the docs read). */
const param = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  description: z.string().optional(),
  default: z.unknown().optional(),
});

/**
 * One action, keyed as juju/charm v8 `ReadActionsYaml` reads it: `description`, `title`,
 * `required` and `params` checked by name, every other key (`additionalProperties`,
 * `definitions`, …) copied into the params schema. An empty entry (`snapshot:`) is an
 * action without params, as in Juju.
 */
const action = z.preprocess(
  (value) => value ?? {},
  z.looseObject({
    description: z.string({ error: 'value for schema key "description" must be a string' }).optional(),
    title: z.string({ error: 'value for schema key "title" must be a string' }).optional(),
    /** JSON-Schema properties of the action's parameters. */
    params: z.record(z.string(), param, { error: 'params failed to parse as a map' }).optional(),
    required: z.array(z.string(), { error: 'value for schema key "required" must be a YAML list' }).optional(),
    additionalProperties: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  }),
);

/**
 * actions.yaml: action name → description and parameters; names as Juju checks them
 * (checkActionNames), each action's params a draft-4 JSON Schema Juju would compile
 * (no `$ref`/`$schema`, see action-schema.ts).
 */
export const actionsSchema = z
  .record(z.string(), action)
  .superRefine((actions, ctx) => checkActionNames(actions, ctx), { when: () => true })
  .superRefine((actions, ctx) => {
    for (const [name, spec] of Object.entries(actions)) {
      for (const problem of actionSchemaProblems(name, spec)) {
        ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message, params: { atKey: problem.atKey } });
      }
    }
  });

export type CharmActions = z.infer<typeof actionsSchema>;

/** Reads `<charmDir>/actions.yaml`; `undefined` when the charm has none. @throws ManifestError */
export function loadActionsYaml(charmDir: string): CharmActions | undefined {
  return loadYamlFile(join(charmDir, 'actions.yaml'), actionsSchema, { optional: true });
}
