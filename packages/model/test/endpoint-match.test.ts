import { describe, expect, it } from 'vitest';
import { ModelError } from '@charms/model';
import { matchEndpoints } from '../src/endpoint-match.js';
import type { CharmEndpoint } from '../src/scheduler-operations.js';

// Which endpoints `charms relate a b` joins, as `juju integrate` chooses them.

const CHARMS: Record<string, readonly CharmEndpoint[]> = {
  kv: [
    { name: 'kv', role: 'provides', interface: 'kv' },
    { name: 'admin', role: 'provides', interface: 'kv' },
    { name: 'cluster', role: 'peers', interface: 'kv-cluster' },
  ],
  client: [{ name: 'backend', role: 'requires', interface: 'kv' }],
  web: [{ name: 'website', role: 'provides', interface: 'http' }],
};
const endpointsOf = (app: string) => {
  const found = CHARMS[app];
  if (!found) throw new ModelError('NOT_FOUND', `application "${app}" not found`);
  return found;
};
const codeOf = (a: string, b: string) => {
  try {
    matchEndpoints(a, b, endpointsOf);
    return 'matched';
  } catch (error) {
    return (error as ModelError).code;
  }
};

describe('matching endpoints', () => {
  it('joins a provider and a requirer of the same interface, in the order given', () => {
    expect(matchEndpoints('client', 'kv:kv', endpointsOf)).toEqual({
      interface: 'kv',
      ends: [
        { app: 'client', endpoint: 'backend', role: 'requires' },
        { app: 'kv', endpoint: 'kv', role: 'provides' },
      ],
    });
  });

  it('asks for names when several pairs fit, naming one', () => {
    expect(() => matchEndpoints('client', 'kv', endpointsOf)).toThrow(/fit on several endpoints: name them, e.g. client:backend kv:kv/);
  });

  it('refuses endpoints that do not fit, a peer relation, and an unknown application', () => {
    expect(codeOf('client', 'web')).toBe('INVALID_RELATION');
    expect(codeOf('kv', 'kv')).toBe('INVALID_RELATION');
    expect(() => matchEndpoints('kv', 'kv', endpointsOf)).toThrow(/kv:cluster is a peer relation/);
    expect(codeOf('client', 'nope')).toBe('NOT_FOUND');
  });
});
