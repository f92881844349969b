import { isRecord, isString, isBoolean, isInteger, listOf, isStringList } from './value-checks.js';

/** A quick yes to "is this the `expected` part of a fixture file?" (see isFixtureFile). */
export function isResult(value: unknown): boolean {
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
      case 'relation_set':
        if (field !== undefined && !listOf(field, isRelationSet)) return false;
        break;
      case 'records':
        if (field !== undefined && !listOf(field, isRecordEntry)) return false;
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

function isRelationSet(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (key !== 'relation_id' && key !== 'app' && key !== 'settings') return false;
  const settings = value.settings;
  if (!isString(value.relation_id) || !isBoolean(value.app) || !isRecord(settings)) return false;
  for (const key in settings) if (settings[key] !== null && !isString(settings[key])) return false;
  return true;
}

function isRecordEntry(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (key !== 'by' && key !== 'endpoint' && key !== 'kind' && key !== 'key' && key !== 'value') return false;
  return (
    isString(value.by) &&
    (value.endpoint === null || isString(value.endpoint)) &&
    isString(value.kind) &&
    (value.key === null || isString(value.key)) &&
    'value' in value &&
    value.value !== undefined
  );
}
