// Errors the hooks throw. A host turns `PartialCreateError` into Pulumi's "created but failed to initialize", so a
// deployment OCI accepted is never lost from state, whatever happened afterwards.

export class PartialCreateError extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(message: string, id: string, properties: Record<string, unknown>) {
    super(message);
    this.name = "PartialCreateError";
    this.id = id;
    this.properties = properties;
    this.reasons = [message];
  }
}
