import type { FixtureFile } from './fixture-schema.js';
import { isResult } from './result-check.js';
import { type Check, isRecord, isString, isFlag, isBoolean, isInteger, listOf, isFlagList, isHookPatterns, absentOr } from './value-checks.js';

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
      case 'leader':
        if (field !== undefined && !isBoolean(field)) return false;
        break;
      case 'endpoint_classes':
        if (field !== undefined && !listOf(field, isEndpointClass)) return false;
        break;
      case 'relations':
        if (field !== undefined && !isRelations(field)) return false;
        break;
      default:
        return false;
    }
  }
  // `handlers` may be left out of an Endpoint fixture only.
  const handlers = Array.isArray(value.handlers) || (value.handlers === undefined && value.endpoint_classes !== undefined);
  return isFlag(value.name) && handlers && (value.hook === undefined) !== (value.hooks === undefined);
}

const CLASS_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isEndpointClass(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'id':
        if (!isString(field) || !CLASS_ID.test(field)) return false;
        break;
      case 'interface':
        if (!isFlag(field)) return false;
        break;
      case 'role':
        if (field !== 'provides' && field !== 'requires' && field !== 'peers') return false;
        break;
      case 'handlers':
        if (!listOf(field, isHandler)) return false;
        break;
      case 'manage_flags':
        if (field !== undefined && !isActionList(field)) return false;
        break;
      case 'register_triggers':
        if (field !== undefined && !listOf(field, isTrigger)) return false;
        break;
      default:
        return false;
    }
  }
  return isString(value.id) && isFlag(value.interface) && typeof value.role === 'string' && Array.isArray(value.handlers);
}

/** A relation data bag: string values only. */
function isBag(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (!isString(value[key])) return false;
  return true;
}

function isBags(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (!isBag(value[key])) return false;
  return true;
}

const RELATION_KEYS = new Set(['endpoint', 'app', 'units', 'departing', 'app_data', 'local_unit_data', 'local_app_data']);
const HOOK_ENTRY_KEYS = new Set(['hook', 'config', 'relations', 'leader', 'relation_id', 'remote_unit']);

function isRelations(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const id in value) {
    const relation = value[id];
    if (!isRecord(relation)) return false;
    for (const key in relation) {
      const field = relation[key];
      if (!RELATION_KEYS.has(key)) return false;
      if (field === undefined) continue;
      switch (key) {
        case 'endpoint':
        case 'app':
          if (!isString(field)) return false;
          break;
        case 'units':
        case 'departing':
          if (!isBags(field)) return false;
          break;
        case 'app_data':
        case 'local_unit_data':
        case 'local_app_data':
          if (!isBag(field)) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

function isHookEntry(value: unknown): boolean {
  if (isFlag(value)) return true;
  if (!isRecord(value) || !isFlag(value.hook)) return false;
  for (const key in value) {
    const field = value[key];
    if (!HOOK_ENTRY_KEYS.has(key)) return false;
    if (key === 'hook' || field === undefined) continue;
    if (key === 'config' || key === 'relations') {
      if (!(key === 'config' ? isRecord(field) : isRelations(field))) return false;
    } else if (key === 'leader') {
      if (!isBoolean(field)) return false;
    } else if (key === 'relation_id') {
      if (!isString(field)) return false;
    } else if (key === 'remote_unit') {
      if (field !== null && !isString(field)) return false;
    } else return false;
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
    case 'publish':
    case 'publish_app':
      return isRecord(value[head]) && count === 1;
    case 'publish_raw':
    case 'publish_app_raw': {
      const bag = value[head];
      if (!isRecord(bag) || count !== 1) return false;
      for (const key in bag) if (bag[key] !== null && !isString(bag[key])) return false;
      return true;
    }
    case 'set_flag_expanded':
    case 'clear_flag_expanded':
      return isFlag(value[head]) && count === 1;
    case 'record_received':
    case 'record_received_raw':
    case 'record_unit_received':
    case 'record_received_app':
      return isString(value[head]) && count === 1;
    case 'record_relations':
    case 'record_departed':
    case 'clear_departed':
    case 'record_is_joined':
      return isBoolean(value[head]) && count === 1;
    case 'endpoint_from_flag':
    case 'endpoint_from_name':
      return (
        (head === 'endpoint_from_flag' ? isFlag(value[head]) : isString(value[head])) &&
        !('value' in value) &&
        (value.then === undefined || isActionList(value.then)) &&
        (value.else === undefined || isActionList(value.else))
      );
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
