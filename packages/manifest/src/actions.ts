import { join } from 'node:path';
import { z } from 'zod';
import { loadYamlFile } from './load-yaml.js';
import { checkActionNames } from './names.js';

const action = z.looseObject({
  description: z.string().optional(),
  /** JSON-Schema properties of the action's parameters. */
  params: z.record(z.string(), z.looseObject({ type: z.string().optional(), description: z.string().optional() })).optional(),
  required: z.array(z.string()).optional(),
  additionalProperties: z.boolean().optional(),
});

/** actions.yaml: action name → description and parameters; names as Juju checks them (checkActionNames). */
export const actionsSchema = z.record(z.string(), action).superRefine((actions, ctx) => checkActionNames(actions, ctx), { when: () => true });

export type CharmActions = z.infer<typeof actionsSchema>;

/** Reads `<charmDir>/actions.yaml`; `undefined` when the charm has none. @throws ManifestError */
export function loadActionsYaml(charmDir: string): CharmActions | undefined {
  return loadYamlFile(join(charmDir, 'actions.yaml'), actionsSchema, { optional: true });
}
