import { join } from 'node:path';
import { z } from 'zod';
import { OPTION_TYPE_CHECK } from './config-value.js';
import { loadYamlFile } from './load-yaml.js';

const option = z
  .strictObject({
    type: z.enum(['string', 'int', 'float', 'boolean', 'secret']),
    default: z.unknown().optional(),
    description: z.string().optional(),
  })
  .refine((o) => o.default === undefined || o.default === null || OPTION_TYPE_CHECK[o.type]!(o.default), {
    message: "the default does not have the option's type",
    path: ['default'],
  });

/** config.yaml. */
export const configSchema = z.strictObject({ options: z.record(z.string(), option).default({}) });

export type ConfigOptionSpec = z.infer<typeof option>;
export type CharmConfigYaml = z.infer<typeof configSchema>;

/** Reads `<charmDir>/config.yaml`; `undefined` when the charm has none. @throws ManifestError */
export function loadConfigYaml(charmDir: string): CharmConfigYaml | undefined {
  return loadYamlFile(join(charmDir, 'config.yaml'), configSchema, { optional: true });
}
