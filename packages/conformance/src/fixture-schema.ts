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
  | { register_trigger: FixtureTrigger };

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

const hookEntry = z.union([
  z.string().min(1),
  z.strictObject({ hook: z.string().min(1), config: z.record(z.string(), z.unknown()).optional() }),
]);

const metadataSchema = z.record(z.string(), z.unknown());

export const fixtureSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    hook: z.string().min(1).optional(),
    hooks: z.array(hookEntry).min(1).optional(),
    initial_flags: z.array(flag).optional(),
    handlers: z.array(handlerSchema),
    triggers: z.array(triggerSchema).optional(),
    config_options: z.record(z.string(), z.strictObject({ default: z.unknown().optional() }).nullable()).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    metadata: metadataSchema.optional(),
    layer_basic: z.boolean().optional(),
  })
  .refine((f) => (f.hook === undefined) !== (f.hooks === undefined), {
    message: "exactly one of 'hook' and 'hooks' must be given",
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
