import { describe, expect, it } from 'vitest';
import { DepartedUnits, Relation, RelatedUnit } from '@charms/runtime';

/** Unit state as a plain map, as the hook's key-value data would hold it. */
function memoryKv() {
  const data = new Map<string, unknown>();
  return { data, kv: { get: <T>(key: string) => data.get(key) as T | undefined, set: (key: string, value: unknown) => void data.set(key, value), unset: (key: string) => void data.delete(key) } };
}

describe('DepartedUnits', () => {
  it('remove(unit) forgets that unit, not the first of its name (an application related twice)', () => {
    const { data, kv } = memoryKv();
    const first = new RelatedUnit(new Relation('db:1', []), 'pg/0', undefined, { host: 'a' });
    const second = new RelatedUnit(new Relation('db:2', []), 'pg/0', undefined, { host: 'b' });
    const departed = new DepartedUnits(kv, 'departed', [first, second]);
    expect(departed.remove(second)).toBe(true);
    expect(departed.toArray()).toEqual([first]);
    expect(data.get('departed')).toEqual([{ relation: 'db:1', unit_name: 'pg/0', data: { host: 'a' } }]);
    expect(departed.remove('pg/0')).toBe(true);
    expect(departed.length).toBe(0);
    expect(data.has('departed')).toBe(false);
  });
});
