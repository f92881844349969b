import { describe, expect, it } from 'vitest';
import { podSpecV3Schema, type PodSpecV3 } from '@charms/manifest';

// kubernetesResources.secrets and .pod are typed as Juju decodes them (caas/specs
// K8sSecret, k8s/specs PodSpec): maps of strings where Go has map[string]string, other
// keys kept. The local model renders from these types.

const container = { name: 'kv', imageDetails: { imagePath: 'example/kv:1' } };

describe('podSpecV3Schema: kubernetesResources', () => {
  it('takes a secret with type, data, stringData, labels and annotations, and pod annotations and labels', () => {
    const spec: PodSpecV3 = {
      version: 3,
      containers: [container],
      kubernetesResources: {
        secrets: [{ name: 'creds', type: 'Opaque', data: { k: 'dg==' }, stringData: { s: 'v' }, labels: { a: 'b' }, annotations: { c: 'd' } }],
        pod: { annotations: { e: 'f' }, labels: { g: 'h' }, restartPolicy: 'Always' },
      },
    };
    expect(podSpecV3Schema.safeParse(spec).success).toBe(true);
  });

  it('refuses a value that is not a string where Juju has a map of strings, naming where', () => {
    const secret = podSpecV3Schema.safeParse({ version: 3, containers: [container], kubernetesResources: { secrets: [{ name: 'creds', stringData: { port: 9000 } }] } });
    expect(secret.error?.issues[0]?.path).toEqual(['kubernetesResources', 'secrets', 0, 'stringData', 'port']);
    const pod = podSpecV3Schema.safeParse({ version: 3, containers: [container], kubernetesResources: { pod: { annotations: { replicas: 2 } } } });
    expect(pod.error?.issues[0]?.path).toEqual(['kubernetesResources', 'pod', 'annotations', 'replicas']);
  });
});
