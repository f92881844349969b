/** What an object store offers on the relation: where it is and how to sign in. */
export interface ObjectStorageCredentials {
  /** The Kubernetes service (the provider's application name). */
  readonly service: string;
  /** The Kubernetes namespace (the provider's model name). */
  readonly namespace: string;
  readonly port: number;
  readonly accessKey: string;
  /** A secret: registered with the hook's redaction on both sides. */
  readonly secretKey: string;
  /** True when the store speaks https. */
  readonly secure: boolean;
  /** A bucket the provider set aside for the consumer, if it names one. */
  readonly bucket?: string;
}

/** The keys on the wire: raw strings, as the first MinIO charm published them. */
export const KEYS = {
  service: 'service',
  namespace: 'namespace',
  port: 'port',
  accessKey: 'access-key',
  secretKey: 'secret-key',
  secure: 'secure',
  bucket: 'bucket',
} as const;

/**
 * The relation bag of `credentials`.
 * @throws TypeError for a port that is not an integer from 1 to 65535, or an empty
 * service, namespace, access key or secret key.
 */
export function toBag(credentials: ObjectStorageCredentials): Record<string, string | null> {
  const { service, namespace, port, accessKey, secretKey } = credentials;
  for (const [name, value] of Object.entries({ service, namespace, accessKey, secretKey })) {
    if (typeof value !== 'string' || value === '') throw new TypeError(`object-storage: ${name} must be a non-empty string`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`object-storage: port must be an integer from 1 to 65535, not ${String(port)}`);
  return {
    [KEYS.service]: service,
    [KEYS.namespace]: namespace,
    [KEYS.port]: String(port),
    [KEYS.accessKey]: accessKey,
    [KEYS.secretKey]: secretKey,
    [KEYS.secure]: credentials.secure ? 'true' : 'false',
    // A bucket no longer named is deleted from the bag.
    [KEYS.bucket]: credentials.bucket ?? null,
  };
}

/** The credentials in a bag, or undefined when a key is missing or the port is not a port. */
export function fromBag(bag: Readonly<Record<string, string | null | undefined>>): ObjectStorageCredentials | undefined {
  const text = (key: string) => (typeof bag[key] === 'string' && bag[key] !== '' ? bag[key] : undefined);
  const service = text(KEYS.service);
  const namespace = text(KEYS.namespace);
  const accessKey = text(KEYS.accessKey);
  const secretKey = text(KEYS.secretKey);
  const portText = text(KEYS.port);
  const port = Number(portText);
  if (!service || !namespace || !accessKey || !secretKey || !portText || !/^\d+$/.test(portText) || port < 1 || port > 65535) return undefined;
  const bucket = text(KEYS.bucket);
  return { service, namespace, port, accessKey, secretKey, secure: text(KEYS.secure)?.toLowerCase() === 'true', ...(bucket ? { bucket } : {}) };
}
