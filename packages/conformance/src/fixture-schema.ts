import { z } from 'zod';

/**
 * The conformance fixture format (shared/README.md §1, §3), strict: an
 * unknown key anywhere is an error, so a change of format cannot pass unnoticed.
 */

const flag = z.string().min(1);
const flagList = z.array(flag).nullable().optional();
const hookPatterns = z.union([z.string(), z.array(z.string())]);

export type FixtureAction =
  | { set: string; value?: unknown }
  | { clear: string }
  | { toggle: string; value: boolean }
  | { if_set: string; then?: FixtureAction[]; else?: FixtureAction[] }
  | { raise: string }
  | { exit: number | null }
  | { register_trigger: FixtureTrigger }
  | EndpointAction;

/** The actions of Endpoint fixtures (shared/endpoints/README.md, "New actions"). */
export type EndpointAction =
  | { publish: Record<string, unknown> }
  | { publish_raw: Record<string, string | null> }
  | { publish_app: Record<string, unknown> }
  | { publish_app_raw: Record<string, string | null> }
  | { set_flag_expanded: string }
  | { clear_flag_expanded: string }
  | { record_received: string }
  | { record_received_raw: string }
  | { record_unit_received: string }
  | { record_received_app: string }
  | { record_relations: boolean }
  | { record_departed: boolean }
  | { clear_departed: boolean }
  | { record_is_joined: boolean }
  | { endpoint_from_flag: string; then?: FixtureAction[]; else?: FixtureAction[] }
  | { endpoint_from_name: string; then?: FixtureAction[]; else?: FixtureAction[] };

export interface FixtureTrigger {
  when?: string | null;
  when_not?: string | null;
  set_flag?: string | null;
  clear_flag?: string | null;
  callback?: FixtureAction[] | null;
}

export const actionSchema: z.ZodType<FixtureAction> = z.lazy(() =>
  z.union([
    z.strictObject({ set: flag, value: z.unknown().optional() }),
    z.strictObject({ clear: flag }),
    z.strictObject({ toggle: flag, value: z.boolean() }),
    z.strictObject({ if_set: flag, then: z.array(actionSchema).optional(), else: z.array(actionSchema).optional() }),
    z.strictObject({ raise: z.string() }),
    z.strictObject({ exit: z.number().int().nullable() }),
    z.strictObject({ register_trigger: triggerSchema }),
    z.strictObject({ publish: z.record(z.string(), z.unknown()) }),
    z.strictObject({ publish_raw: z.record(z.string(), z.string().nullable()) }),
    z.strictObject({ publish_app: z.record(z.string(), z.unknown()) }),
    z.strictObject({ publish_app_raw: z.record(z.string(), z.string().nullable()) }),
    z.strictObject({ set_flag_expanded: flag }),
    z.strictObject({ clear_flag_expanded: flag }),
    z.strictObject({ record_received: z.string() }),
    z.strictObject({ record_received_raw: z.string() }),
    z.strictObject({ record_unit_received: z.string() }),
    z.strictObject({ record_received_app: z.string() }),
    z.strictObject({ record_relations: z.boolean() }),
    z.strictObject({ record_departed: z.boolean() }),
    z.strictObject({ clear_departed: z.boolean() }),
    z.strictObject({ record_is_joined: z.boolean() }),
    z.strictObject({ endpoint_from_flag: flag, then: z.array(actionSchema).optional(), else: z.array(actionSchema).optional() }),
    z.strictObject({ endpoint_from_name: z.string(), then: z.array(actionSchema).optional(), else: z.array(actionSchema).optional() }),
  ]),
) as z.ZodType<FixtureAction>;

export const triggerSchema: z.ZodType<FixtureTrigger> = z.lazy(() =>
  z.strictObject({
    when: z.string().nullable().optional(),
    when_not: z.string().nullable().optional(),
    set_flag: z.string().nullable().optional(),
    clear_flag: z.string().nullable().optional(),
    callback: z.array(actionSchema).nullable().optional(),
  }),
) as z.ZodType<FixtureTrigger>;

const decoratorSchema = z.union([
  z.strictObject({ when: z.array(flag) }),
  z.strictObject({ when_all: z.array(flag) }),
  z.strictObject({ when_any: z.array(flag) }),
  z.strictObject({ when_not: z.array(flag) }),
  z.strictObject({ when_none: z.array(flag) }),
  z.strictObject({ when_not_all: z.array(flag) }),
  z.strictObject({ hook: hookPatterns }),
  z.strictObject({ only_once: z.boolean() }),
  z.strictObject({ collect_metrics: z.boolean() }),
  z.strictObject({ meter_status_changed: z.boolean() }),
]);
export type FixtureDecorator = z.infer<typeof decoratorSchema>;

const handlerSchema = z
  .strictObject({
    id: z.string().min(1),
    actions: z.array(actionSchema),
    when: flagList,
    when_all: flagList,
    when_any: flagList,
    when_not: flagList,
    when_none: flagList,
    when_not_all: flagList,
    hook: hookPatterns.nullable().optional(),
    only_once: z.boolean().nullable().optional(),
    collect_metrics: z.boolean().nullable().optional(),
    meter_status_changed: z.boolean().nullable().optional(),
    decorators: z.array(decoratorSchema).optional(),
  })
  .refine(
    (h) =>
      h.decorators === undefined ||
      !['when', 'when_all', 'when_any', 'when_not', 'when_none', 'when_not_all', 'hook', 'only_once', 'collect_metrics', 'meter_status_changed'].some(
        (key) => (h as Record<string, unknown>)[key] !== undefined,
      ),
    { message: 'a handler uses either the shorthand keys or a decorators list, never both' },
  );
export type FixtureHandler = z.infer<typeof handlerSchema>;

const bag = z.record(z.string(), z.string());

/** One relation of an Endpoint fixture's world (shared/endpoints/README.md). */
const relationSchema = z.strictObject({
  endpoint: z.string().optional(),
  app: z.string().optional(),
  units: z.record(z.string(), bag).optional(),
  departing: z.record(z.string(), bag).optional(),
  app_data: bag.optional(),
  local_unit_data: bag.optional(),
  local_app_data: bag.optional(),
});
export type FixtureRelation = z.infer<typeof relationSchema>;
const relationsSchema = z.record(z.string(), relationSchema);

const hookEntry = z.union([
  z.string().min(1),
  z.strictObject({
    hook: z.string().min(1),
    config: z.record(z.string(), z.unknown()).optional(),
    relations: relationsSchema.optional(),
    leader: z.boolean().optional(),
    relation_id: z.string().optional(),
    remote_unit: z.string().nullable().optional(),
  }),
]);

const metadataSchema = z.record(z.string(), z.unknown());

/** An Endpoint class of an interface layer, described as data. */
const endpointClassSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  interface: z.string().min(1),
  role: z.enum(['provides', 'requires', 'peers']),
  handlers: z.array(handlerSchema),
  manage_flags: z.array(actionSchema).optional(),
  register_triggers: z.array(triggerSchema).optional(),
});
export type FixtureEndpointClass = z.infer<typeof endpointClassSchema>;

export const fixtureSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    hook: z.string().min(1).optional(),
    hooks: z.array(hookEntry).min(1).optional(),
    initial_flags: z.array(flag).optional(),
    // Endpoint fixtures may leave it out (no charm handlers).
    handlers: z.array(handlerSchema).optional(),
    triggers: z.array(triggerSchema).optional(),
    config_options: z.record(z.string(), z.strictObject({ default: z.unknown().optional() }).nullable()).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    metadata: metadataSchema.optional(),
    layer_basic: z.boolean().optional(),
    endpoint_classes: z.array(endpointClassSchema).optional(),
    relations: relationsSchema.optional(),
    leader: z.boolean().optional(),
  })
  .refine((f) => (f.hook === undefined) !== (f.hooks === undefined), {
    message: "exactly one of 'hook' and 'hooks' must be given",
  })
  .refine((f) => f.handlers !== undefined || f.endpoint_classes !== undefined, {
    message: "'handlers' is required (it may be [] ), except in an Endpoint fixture",
  });
export type Fixture = z.infer<typeof fixtureSchema>;

const roundSchema = z.strictObject({
  phase: z.enum(['hooks', 'other', 'restricted']),
  iteration: z.number().int().nullable(),
  queued: z.array(z.string()),
  invoked: z.array(z.string()),
});
export type RoundResult = z.infer<typeof roundSchema>;

const hookResultSchema = z.strictObject({
  hook: z.string(),
  invoked: z.array(z.string()),
  final_flags: z.array(z.string()),
  error: z.string().nullable(),
  rounds: z.array(roundSchema),
  error_detail: z.string().optional(),
  flags_at_error: z.array(z.string()).optional(),
  relation_set: z
    .array(z.strictObject({ relation_id: z.string(), app: z.boolean(), settings: z.record(z.string(), z.string().nullable()) }))
    .optional(),
  records: z
    .array(z.strictObject({ by: z.string(), endpoint: z.string().nullable(), kind: z.string(), key: z.string().nullable(), value: z.unknown() }))
    .optional(),
});
export type HookResult = z.infer<typeof hookResultSchema>;

export const resultSchema = z.strictObject({
  name: z.string(),
  invoked: z.array(z.string()),
  final_flags: z.array(z.string()),
  error: z.string().nullable(),
  hooks: z.array(hookResultSchema),
});
export type FixtureResult = z.infer<typeof resultSchema>;

export const fixtureFileSchema = z.strictObject({ fixture: fixtureSchema, expected: resultSchema });
export type FixtureFile = z.infer<typeof fixtureFileSchema>;
