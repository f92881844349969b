import { readFile } from 'node:fs/promises';

/** What a charm needs to pull an OCI image: the pod spec's `imageDetails`. */
export interface DockerImageInfo {
  readonly registryPath: string;
  /** Empty for a public image. */
  readonly username: string;
  /** Empty for a public image. */
  readonly password: string;
}

/**
 * Reads the file `resource-get` named for an `oci-image` resource: YAML (or JSON, which
 * YAML reads) with `registrypath` and, for private images, `username` and `password`.
 * @throws Error saying what is wrong with the file.
 */
export async function readImageFile(path: string): Promise<Record<string, unknown>> {
  if (!path) throw new Error('no filename returned');
  const text = await readFile(path, 'utf8');
  // The YAML reader loads on first use: only hooks that fetch a resource need it. YAML
  // 1.1, as the original layer's PyYAML read it.
  const { readCharmYaml } = await import('@charms/manifest/yaml');
  let data: unknown;
  try {
    data = readCharmYaml(text);
  } catch (error) {
    throw new Error(`${path} is not YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!data) throw new Error('no data returned');
  if (typeof data !== 'object' || Array.isArray(data)) throw new Error(`${path} does not hold a map of image details`);
  const record = data as Record<string, unknown>;
  if (typeof record.registrypath !== 'string' || record.registrypath === '') {
    throw new Error(`${path} has no registrypath (the image to pull)`);
  }
  return record;
}

/** The image details of stored resource data; a missing username or password is `''`. */
export function imageInfo(data: Record<string, unknown>): DockerImageInfo {
  return Object.freeze({
    registryPath: String(data.registrypath),
    username: typeof data.username === 'string' ? data.username : '',
    password: typeof data.password === 'string' ? data.password : '',
  });
}
