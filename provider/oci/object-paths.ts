// Object Storage paths as users and ADS write them: `oci://bucket@namespace/path`.

export interface ObjectPath {
  bucketName: string;
  namespaceName: string;
  objectName: string;
}

/** `oci://bucket@namespace/path` (or `oci://bucket@namespace`, the whole bucket) as its parts. */
export function parseObjectPath(uri: string): ObjectPath | undefined {
  const match = /^oci:\/\/([^@/]+)@([^/]+)(?:\/(.*))?$/.exec(uri);
  return match ? { bucketName: match[1] ?? "", namespaceName: match[2] ?? "", objectName: match[3] ?? "" } : undefined;
}
