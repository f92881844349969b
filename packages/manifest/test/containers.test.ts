import { describe, expect, it } from 'vitest';
import { isKubernetesCharm, isSidecarCharm, metadataSchema, parseYamlText } from '@charms/manifest';
import { problems } from './fixtures/problems.js';

const parse = (lines: string[]) => parseYamlText('metadata.yaml', ['name: minio', ...lines].join('\n'), metadataSchema);
const found = (lines: string[]) => problems(() => parse(lines)).map((p) => [p.line, p.col, p.code, p.message]);

describe('metadata.yaml containers (juju/charm meta.go containerSchema, parseContainers, parseMounts)', () => {
  const sidecar = [
    'containers:',
    '  workload:',
    '    resource: workload-image',
    '    mounts:',
    '      - storage: data',
    '        location: /data',
    'resources:',
    '  workload-image: {type: oci-image}',
    'storage:',
    '  data: {type: filesystem}',
  ];

  it('reads a container with its oci-image resource and its mounts, and calls the charm a sidecar charm', () => {
    const metadata = parse(sidecar);
    expect(metadata.containers).toEqual({ workload: { resource: 'workload-image', mounts: [{ storage: 'data', location: '/data' }] } });
    expect(isSidecarCharm(metadata)).toBe(true);
    expect(isKubernetesCharm(metadata)).toBe(false);
  });

  it('is no sidecar charm without containers, nor a podspec charm', () => {
    expect(isSidecarCharm(parse([]))).toBe(false);
    expect(isSidecarCharm(parse(['series: [kubernetes]']))).toBe(false);
    expect(isSidecarCharm(parse(['containers: {}']))).toBe(false);
  });

  it('refuses what juju/charm refuses, every problem at its line', () => {
    expect(
      found([
        'containers:',
        '  workload:',
        '    resource: missing-image',
        '    mounts:',
        '      - storage: nowhere',
        '        location: /data',
        '      - location: /logs',
        '      - storage: data',
        '  sidecar:',
        '    resource: config-file',
        '    image: ubuntu',
        'resources:',
        '  config-file: {type: file, filename: app.conf}',
        'storage:',
        '  data: {type: filesystem}',
      ]),
    ).toEqual([
      [4, 15, 'SCHEMA', expect.stringContaining('container "workload": referenced resource "missing-image" not found: declare it under resources: with type: oci-image')],
      [6, 18, 'SCHEMA', expect.stringContaining('container "workload": storage "nowhere" not valid: it is not declared under storage:')],
      [8, 9, 'SCHEMA', expect.stringContaining('container "workload": storage must be specified on mount')],
      [9, 9, 'SCHEMA', expect.stringContaining('container "workload": location must be specified on mount')],
      [11, 5, 'SCHEMA', expect.stringContaining('Unrecognized key: "image"')],
      [11, 15, 'SCHEMA', expect.stringContaining('referenced resource "config-file" is not a oci-image (it is "file")')],
    ]);
  });

  it('refuses containers beside a series, as Juju refuses metadata of both formats (meta.go identifyFormat)', () => {
    const list = found(['series: [focal]', 'containers:', '  workload: {}']);
    expect(list).toEqual([[2, 9, 'SCHEMA', expect.stringContaining('ambiguous metadata: "series" cannot be used with "containers"')]]);
  });
});
