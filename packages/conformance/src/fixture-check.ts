import type { FixtureFile } from './fixture-schema.js';

/**
 * A quick yes to "is this a valid fixture file?", for the common case where it is.
 *
 * zod's schema in fixture-schema.ts is the format's definition and the only source of
 * error messages; checking a fixture of 10,000 handlers with it costs about as much as
 * running them. This check answers `true` only for values the schema accepts
 * unchanged (zod's output equals its input there: no defaults, no transforms), so a
 * `true` can skip zod; on `false` the caller asks zod, which finds the problems (or,
 * should this check ever be stricter than the schema, accepts). It may be stricter
 * than the schema, never looser: the conformance test "agrees with the schema"
 * compares the two over every shipped fixture and many broken copies of them.
 */
export function isFixtureFile(value: unknown): value is FixtureFile {
  if (!isRecord(value)) return false;
  for (const key in value) if (key !== 'fixture' && key !== 'expected') return false;
  return isFixture(value.fixture) && isResult(value.expected);
}

type Check = (value: unknown) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isFlag(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isInteger(value: unknown): boolean {
  return Number.isSafeInteger(value);
}

function listOf(value: unknown, check: Check): boolean {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i += 1) if (!check(value[i])) return false;
  return true;
}

function isStringList(value: unknown): boolean {
  return listOf(value, isString);
}

function isFlagList(value: unknown): boolean {
  return listOf(value, isFlag);
}

function isHookPatterns(value: unknown): boolean {
  return typeof value === 'string' || isStringList(value);
}

/** `undefined`, `null`, or what `check` accepts: zod's `.nullable().optional()`. */
function absentOr(value: unknown, check: Check): boolean {
  return value === undefined || value === null || check(value);
}

// The shorthand decorator keys of a handler, and what each takes in the
// `decorators` list form.
const SHORTHAND: Record<string, Check> = {
  when: isFlagList,
  when_all: isFlagList,
  when_any: isFlagList,
  when_not: isFlagList,
  when_none: isFlagList,
  when_not_all: isFlagList,
  hook: isHookPatterns,
  only_once: isBoolean,
  collect_metrics: isBoolean,
  meter_status_changed: isBoolean,
};

function isFixture(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'name':
        if (!isFlag(field)) return false;
        break;
      case 'hook':
        if (field !== undefined && !isFlag(field)) return false;
        break;
      case 'description':
        if (field !== undefined && !isString(field)) return false;
        break;
      case 'hooks':
        if (field !== undefined && !(listOf(field, isHookEntry) && (field as unknown[]).length > 0)) return false;
        break;
      case 'initial_flags':
        if (field !== undefined && !isFlagList(field)) return false;
        break;
      case 'handlers':
        if (!listOf(field, isHandler)) return false;
        break;
      case 'triggers':
        if (field !== undefined && !listOf(field, isTrigger)) return false;
        break;
      case 'config_options':
        if (field === undefined) break;
        if (!isRecord(field)) return false;
        for (const name in field) if (field[name] !== null && !isConfigOption(field[name])) return false;
        break;
      case 'config':
      case 'metadata':
        if (field !== undefined && !isRecord(field)) return false;
        break;
      case 'layer_basic':
        if (field !== undefined && !isBoolean(field)) return false;
        break;
      default:
        return false;
    }
  }
  return isFlag(value.name) && Array.isArray(value.handlers) && (value.hook === undefined) !== (value.hooks === undefined);
}

function isHookEntry(value: unknown): boolean {
  if (isFlag(value)) return true;
  if (!isRecord(value) || !isFlag(value.hook)) return false;
  for (const key in value) {
    if (key === 'hook') continue;
    if (key !== 'config' || !(value.config === undefined || isRecord(value.config))) return false;
  }
  return true;
}

function isConfigOption(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (key !== 'default') return false;
  return true;
}

function isHandler(value: unknown): boolean {
  if (!isRecord(value) || !isFlag(value.id) || !isActionList(value.actions)) return false;
  let shorthand = false;
  for (const key in value) {
    if (key === 'id' || key === 'actions') continue;
    const field = value[key];
    if (key === 'decorators') {
      if (field !== undefined && !listOf(field, isDecorator)) return false;
      continue;
    }
    const check = SHORTHAND[key];
    if (check === undefined || !Object.hasOwn(SHORTHAND, key)) return false;
    if (field !== undefined) shorthand = true;
    if (!absentOr(field, check)) return false;
  }
  // Either the shorthand keys or a decorators list, never both.
  return !(shorthand && value.decorators !== undefined);
}

function isDecorator(value: unknown): boolean {
  if (!isRecord(value)) return false;
  let seen = 0;
  for (const key in value) {
    const check = SHORTHAND[key];
    if (check === undefined || !Object.hasOwn(SHORTHAND, key) || !check(value[key])) return false;
    seen += 1;
  }
  return seen === 1;
}

function isAction(value: unknown): boolean {
  if (!isRecord(value)) return false;
  let head: string | undefined;
  let count = 0;
  for (const key in value) {
    count += 1;
    if (key !== 'value' && key !== 'then' && key !== 'else') {
      if (head !== undefined) return false;
      head = key;
    }
  }
  switch (head) {
    case 'set':
      return isFlag(value.set) && count === ('value' in value ? 2 : 1);
    case 'clear':
      return isFlag(value.clear) && count === 1;
    case 'toggle':
      return isFlag(value.toggle) && isBoolean(value.value) && count === 2;
    case 'if_set':
      return (
        isFlag(value.if_set) &&
        !('value' in value) &&
        (value.then === undefined || isActionList(value.then)) &&
        (value.else === undefined || isActionList(value.else))
      );
    case 'raise':
      return isString(value.raise) && count === 1;
    case 'exit':
      return (value.exit === null || isInteger(value.exit)) && count === 1;
    case 'register_trigger':
      return isTrigger(value.register_trigger) && count === 1;
    default:
      return false;
  }
}

function isActionList(value: unknown): boolean {
  return listOf(value, isAction);
}

function isTrigger(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'when':
      case 'when_not':
      case 'set_flag':
      case 'clear_flag':
        if (!absentOr(field, isString)) return false;
        break;
      case 'callback':
        if (!absentOr(field, isActionList)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isResult(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (key !== 'name' && key !== 'invoked' && key !== 'final_flags' && key !== 'error' && key !== 'hooks') return false;
  return (
    isString(value.name) &&
    isStringList(value.invoked) &&
    isStringList(value.final_flags) &&
    (value.error === null || isString(value.error)) &&
    listOf(value.hooks, isHookResult)
  );
}

function isHookResult(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'hook':
        if (!isString(field)) return false;
        break;
      case 'invoked':
      case 'final_flags':
        if (!isStringList(field)) return false;
        break;
      case 'error':
        if (field !== null && !isString(field)) return false;
        break;
      case 'rounds':
        if (!listOf(field, isRound)) return false;
        break;
      case 'error_detail':
        if (field !== undefined && !isString(field)) return false;
        break;
      case 'flags_at_error':
        if (field !== undefined && !isStringList(field)) return false;
        break;
      default:
        return false;
    }
  }
  return isString(value.hook) && Array.isArray(value.invoked) && Array.isArray(value.final_flags) && 'error' in value && Array.isArray(value.rounds);
}

function isRound(value: unknown): boolean {
  if (!isRecord(value)) return false;
  let count = 0;
  for (const key in value) {
    count += 1;
    if (key !== 'phase' && key !== 'iteration' && key !== 'queued' && key !== 'invoked') return false;
  }
  const { phase, iteration } = value;
  return (
    count === 4 &&
    (phase === 'hooks' || phase === 'other' || phase === 'restricted') &&
    (iteration === null || isInteger(iteration)) &&
    isStringList(value.queued) &&
    isStringList(value.invoked)
  );
}
