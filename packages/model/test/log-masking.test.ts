import { describe, expect, it } from 'vitest';
import type { CharmConfigYaml } from '@charms/manifest';
import { isSecretName, maskSecrets, secretValues } from '../src/log-masking.js';
import { emptyModel, type AppRecord, type ModelRecord } from '../src/model-state.js';

// The model masks a hook's output with the values the runtime masks juju-log lines with
// (one rule, isSecretSetting of @charms/manifest/internal): a line the runtime already
// masked is not changed again, whichever way it reached the log.

const configYaml: CharmConfigYaml = {
  options: {
    'api-key': { type: 'string', default: 'sk-default-key' },
    'access-key': { type: 'string', default: 'minio' },
    'secret-key': { type: 'string', default: 'minio123' },
    'session-token': { type: 'int', default: 424242 },
    'use-token': { type: 'boolean', default: true },
    port: { type: 'int', default: 9000 },
  },
};

function modelWith(config: Record<string, unknown>, relationData: Record<string, string> = {}): ModelRecord {
  const app = { name: 'minio', config, resources: {}, units: [], leaderSettings: {} } as unknown as AppRecord;
  return { ...emptyModel(), apps: { minio: app }, relations: [{ data: { 'minio/0': relationData } }] as unknown as ModelRecord['relations'] };
}

describe('the values a hook output line is masked with', () => {
  it('are the values of secret options, key compounds such as api-key included, set or default', () => {
    const values = secretValues(modelWith({ 'api-key': 'sk-live-0123' }), { minio: configYaml });
    expect(values.sort()).toEqual(['424242', 'minio123', 'sk-live-0123']);
  });

  it('leave access-key (an identifier), booleans and ordinary options as they are', () => {
    const values = secretValues(modelWith({}), { minio: configYaml });
    const line = 'reactive: other phase, iteration 0: queued minio:Minio.ready on port 9000, tls true';
    expect(maskSecrets(line, values)).toBe(line);
    expect(maskSecrets('keys minio/minio123/sk-default-key', values)).toBe('keys minio/***/***');
  });

  it('include relation settings under secret keys by the same rule', () => {
    const values = secretValues(modelWith({}, { 'access-key': 'AKIAEXAMPLE7', 'secret-key': 'correct-horse', 'api-key': 'sk-relation' }), { minio: configYaml });
    expect(values).toContain('correct-horse');
    expect(values).toContain('sk-relation');
    expect(values).not.toContain('AKIAEXAMPLE7');
  });

  it("isSecretName, the command line's rule for keys it shows, is the same rule", () => {
    expect(['api-key', 'apikey', 'secret-key', 'private-key', 'admin-password'].filter(isSecretName)).toHaveLength(5);
    expect(['access-key', 'public-key', 'key', 'port'].filter(isSecretName)).toEqual([]);
  });
});
