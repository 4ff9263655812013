// The two kinds of failure a user sees: input they can fix (validation) and what OCI answered (cloud).

/** One thing wrong with the user's input: where, why, and what would be accepted instead. */
export interface ValidationIssue {
  /** Property path in the user's words, e.g. `models[1].gpuCount`. */
  path: string;
  /** A sentence the user can act on. */
  message: string;
  /** The accepted values, when there is a short list of them. */
  validChoices?: Array<string | number>;
}

/** Input that cannot be accepted; raised before any call to OCI. */
export class ValidationError extends Error {
  /** Each problem: the input's path and what to fix. */
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n"));
    this.name = "ValidationError";
    this.issues = issues;
  }
}

/** An error answered by OCI (or the emulator), carrying what support needs to trace it. */
export class CloudError extends Error {
  /** OCI's error code, e.g. NotAuthorizedOrNotFound; ConnectionFailed when no answer came. */
  readonly serviceCode: string;
  /** The HTTP status; undefined when no answer came. */
  readonly statusCode: number | undefined;
  /** OCI's opc-request-id, what OCI support asks for. */
  readonly opcRequestId: string | undefined;
  /** The OCI operation that failed, e.g. GetModelDeployment. */
  readonly operation: string;
  /** OCI's own message, without our prefix. */
  readonly ociMessage: string;
  constructor(details: {
    operation: string;
    serviceCode: string;
    message: string;
    statusCode?: number | undefined;
    opcRequestId?: string | undefined;
  }) {
    const status = details.statusCode === undefined ? "" : ` ${details.statusCode}`;
    const requestId = details.opcRequestId ? ` (opc-request-id: ${details.opcRequestId})` : "";
    super(`OCI ${details.operation} failed:${status} ${details.serviceCode}: ${details.message}${requestId}`);
    this.name = "CloudError";
    this.serviceCode = details.serviceCode;
    this.statusCode = details.statusCode;
    this.opcRequestId = details.opcRequestId;
    this.operation = details.operation;
    this.ociMessage = details.message;
  }
}

/** An error's message without its closing full stop, so that a sentence can go on after it. */
export function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.+$/, "");
}
