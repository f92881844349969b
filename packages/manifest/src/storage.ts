import { z } from 'zod';

// metadata.yaml `storage:`, as juju/charm v8 reads it (meta.go `storageSchema`,
// `parseStorage`, `Meta.Check`; docs/explanation/juju-actions-and-storage.md §5.1).

/** `utils.ParseSize`: a number of MiB, or with a suffix M G T P E Z Y (powers of 1024), optionally followed by `B` or `iB`. */
const SIZE = /^(\d+(?:\.\d+)?)(?:([MGTPEZY])(?:i?B)?)?$/;
const SIZE_POWERS = { M: 0, G: 1, T: 2, P: 3, E: 4, Z: 5, Y: 6 } as const;
/** `multiple.range` as a text: `m`, `m-n`, `m+` or `m-` (storageCountC). */
const RANGE = /^(\d+)([-+]|-(\d+))?$/;

/** A size as juju/utils ParseSize reads it, in MiB (rounded up); undefined when it is not one. */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  return Math.ceil(Number(match[1]) * 1024 ** SIZE_POWERS[(match[2] ?? 'M') as keyof typeof SIZE_POWERS]);
}

/** The instance count a `multiple.range` allows; `max` -1 means no upper bound. Undefined when it is not one. */
export function parseRange(range: number | string): { min: number; max: number } | undefined {
  if (typeof range === 'number') return Number.isInteger(range) && range > 0 ? { min: range, max: range } : undefined;
  const match = RANGE.exec(range);
  if (!match) return undefined;
  const min = Number(match[1]);
  if (match[2] === undefined) return min > 0 ? { min, max: min } : undefined;
  if (match[2] === '+' || match[2] === '-') return { min, max: -1 };
  return { min, max: Number(match[3]) };
}

/** One store of metadata.yaml `storage:`; an unknown key is refused, as juju/charm's schema does. */
export const storeSchema = z
  .strictObject({
    type: z.enum(['block', 'filesystem'], { error: 'type must be "block" or "filesystem"' }),
    description: z.string().optional(),
    shared: z.boolean().optional(),
    'read-only': z.boolean().optional(),
    multiple: z.strictObject({ range: z.union([z.number(), z.string()]) }).optional(),
    'minimum-size': z.union([z.string(), z.number()]).optional(),
    location: z.string().optional(),
    properties: z.array(z.literal('transient', { error: 'the only storage property is "transient"' })).optional(),
  })
  .superRefine((store, ctx) => {
    if (store.multiple && !parseRange(store.multiple.range)) {
      ctx.addIssue({ code: 'custom', path: ['multiple', 'range'], message: `value ${JSON.stringify(store.multiple.range)} does not match 'm', 'm-n', or 'm+' (a count above 0, a range, or a minimum)` });
    }
    const range = store.multiple ? parseRange(store.multiple.range) : undefined;
    if (range && range.max === 0) {
      ctx.addIssue({ code: 'custom', path: ['multiple', 'range'], message: 'invalid maximum count 0: a store may have at least one instance' });
    } else if (range && range.max !== -1 && range.max < range.min) {
      ctx.addIssue({ code: 'custom', path: ['multiple', 'range'], message: `invalid maximum count ${range.max}: it is below the minimum ${range.min}` });
    }
    if (store['minimum-size'] !== undefined && parseSize(String(store['minimum-size'])) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minimum-size'], message: `invalid size ${JSON.stringify(store['minimum-size'])}: use a number of MiB or one with a suffix M, G, T, P, E, Z or Y (for example 10G)` });
    }
    if (store.type === 'block' && store.location !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['location'], message: 'location may not be specified for "type: block"' });
    }
    if (store.location?.replace(/\/+$/, '').startsWith('/var/lib/juju/storage')) {
      ctx.addIssue({ code: 'custom', path: ['location'], message: `invalid location "${store.location}": must not fall within "/var/lib/juju/storage"` });
    }
  });

export type StoreSpec = z.infer<typeof storeSchema>;

/** A store as Juju uses it: its kind, how many instances a unit may have, its minimum size. */
export interface StoreDeclaration {
  readonly name: string;
  readonly type: 'block' | 'filesystem';
  readonly shared: boolean;
  readonly readOnly: boolean;
  readonly location?: string;
  /** MiB; Juju's default size, 1024, when metadata names none. */
  readonly size: number;
  /** Instances per unit: `min` made with the unit; `max` -1 for no upper bound. */
  readonly count: { readonly min: number; readonly max: number };
}

/** Juju's size for a store without `minimum-size` (state/storage.go storageConstraintsWithDefaults). */
export const DEFAULT_STORE_SIZE = 1024;

/** The stores of valid metadata, in metadata order. */
export function storeDeclarations(storage: Readonly<Record<string, StoreSpec>> | undefined): StoreDeclaration[] {
  return Object.entries(storage ?? {}).map(([name, store]) => ({
    name,
    type: store.type,
    shared: store.shared ?? false,
    readOnly: store['read-only'] ?? false,
    ...(store.location !== undefined ? { location: store.location } : {}),
    size: store['minimum-size'] !== undefined ? parseSize(String(store['minimum-size']))! : DEFAULT_STORE_SIZE,
    count: store.multiple ? parseRange(store.multiple.range)! : { min: 1, max: 1 },
  }));
}
