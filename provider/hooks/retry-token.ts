// Idempotency tokens for creates: the same request always carries the same token, so a create that is retried, or
// re-run after a crash, gets OCI's first answer back instead of making a second object (OCI keeps tokens 24 h).

import { createHash } from "node:crypto";

export function retryToken(kind: string, value: unknown): string {
  return createHash("sha256").update(kind).update(JSON.stringify(value)).digest("hex").slice(0, 48);
}
