import { describe, expect, it } from 'vitest';
import { isSecretSetting, secretForms } from '@charms/manifest/queries';

// One rule for the runtime's masking of juju-log lines and the local model's masking of a
// hook's output (issue 20): these tables are what both mean by a secret option or key.

describe('isSecretSetting', () => {
  it.each([
    // Juju's `secret` config type (Juju 3's secret URIs), whatever the name.
    ['anything', 'secret'],
    ['port', 'secret'],
    // A secret word, alone, in a compound, plural, ending a glued word, in any case.
    ['secret-key'],
    ['aws-secret-access-key'],
    ['client_secret'],
    ['clientsecret'],
    ['secrets'],
    ['admin-password'],
    ['root_password'],
    ['dbpassword'],
    ['passwords'],
    ['ldap-passwd'],
    ['gpg-passphrase'],
    ['api_token'],
    ['authtoken'],
    ['tokens'],
    ['credential'],
    ['cloud-credentials'],
    ['ADMIN-PASSWORD'],
    ['secret.value'],
    ['dbPassword'],
    // A key compound that is a secret by itself.
    ['api-key'],
    ['api_key'],
    ['apikey'],
    ['apiKey'],
    ['api-keys'],
    ['private-key'],
    ['ssl-private-key'],
    ['privatekey'],
    ['ssl-key'],
    ['SSLKey'],
    ['tls-key'],
    ['auth-key'],
    ['client-key'],
    ['ssh-key'],
    ['signing-key'],
    ['encryption-key'],
    ['master-key'],
    ['session-key'],
    ['hmac-key'],
    ['shared-key'],
  ])('%s (type %s) is secret', (name, type?: string) => {
    expect(isSecretSetting(name, type)).toBe(true);
  });

  it.each([
    // Identifiers and keys that name no secret: AWS and MinIO call the secret one secret-key.
    ['access-key', 'string'],
    ['accessKey', undefined],
    ['access_key_id', undefined],
    ['public-key', 'string'],
    ['ssh-public-key', undefined],
    ['key', 'string'],
    ['keys', undefined],
    ['key-name', undefined],
    ['monkey', undefined],
    ['hotkey', undefined],
    // Words that only begin like a secret word.
    ['secretary', undefined],
    ['tokenizer', undefined],
    ['passport', undefined],
    // Ordinary options and relation keys.
    ['port', 'int'],
    ['region', 'string'],
    ['private-address', undefined],
    ['ingress-address', undefined],
    ['service', undefined],
    ['secure', 'boolean'],
    ['', undefined],
  ])('%s (type %s) is not secret', (name, type) => {
    expect(isSecretSetting(name, type)).toBe(false);
  });
});

describe('secretForms: the texts hidden for one secret value', () => {
  it('hides the value, each long line of a value of several lines, and its JSON-escaped text', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    expect(secretForms(pem)).toEqual([
      pem,
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      '-----END PRIVATE KEY-----',
      pem.replaceAll('\n', '\\n'),
    ]);
    expect(secretForms('pa"ss')).toEqual(['pa"ss', 'pa\\"ss']);
    expect(secretForms(31337)).toEqual(['31337']);
  });

  it('hides nothing for short values, plain words and what is neither a string nor a number', () => {
    for (const value of ['ab', 'true', 'False', 'null', 'yes', true, undefined, { pw: 'x' }]) expect(secretForms(value)).toEqual([]);
  });
});
