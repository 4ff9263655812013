// OCI's error contract: every failure is an HTTP status plus a JSON body `{ code, message }` with OCI's own codes
// (docs `apierrors.htm`), so the SDK turns it into an OciError with the right `statusCode` and `serviceCode`.

/** A failure the emulator answers with OCI's error body. */
export class ApiError extends Error {
  constructor(
    /** The HTTP status, e.g. 404. */
    readonly status: number,
    /** OCI's error code, e.g. `NotAuthorizedOrNotFound`. */
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `retry-after` on 429. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** 404: the resource in the path does not exist (or the caller may not see it; OCI never says which). */
export function notFound(kind: string, id: string): ApiError {
  return new ApiError(
    404,
    "NotAuthorizedOrNotFound",
    `${kind} ${id} was not found or you are not authorized to access it.`,
  );
}

/** 404 NotFound: no operation at this path and method. */
export function noSuchOperation(method: string, path: string): ApiError {
  return new ApiError(404, "NotFound", `There is no operation supported at ${method} ${path}.`);
}

/** 400: a resource named in the request body does not exist. */
export function relatedResourceNotFound(field: string, kind: string, id: string): ApiError {
  return new ApiError(
    400,
    "RelatedResourceNotAuthorizedOrNotFound",
    `${field}: ${kind} ${id} was not found or you are not authorized to access it.`,
  );
}

/** 400: a parameter is present but wrong. */
export function invalidParameter(field: string, reason: string): ApiError {
  return new ApiError(400, "InvalidParameter", `${field}: ${reason}`);
}

/** 400: a required parameter is absent. */
export function missingParameter(field: string): ApiError {
  return new ApiError(400, "MissingParameter", `${field} is required.`);
}

/** 400: the body is not parseable JSON. */
export function cannotParseRequest(reason: string): ApiError {
  return new ApiError(400, "CannotParseRequest", `The request body could not be parsed: ${reason}`);
}

/** 409, transient: the resource is busy in another state; the SDK retries this one. */
export function incorrectState(message: string): ApiError {
  return new ApiError(409, "IncorrectState", message);
}

/** 409, permanent: the request conflicts with the resource (name taken, resource in use). */
export function conflict(message: string): ApiError {
  return new ApiError(409, "Conflict", message);
}

/** 409: the retry token was already used for a different request body. */
export function invalidatedRetryToken(token: string): ApiError {
  return new ApiError(
    409,
    "InvalidatedRetryToken",
    `The retry token ${token} was already used for a different request; use a new token.`,
  );
}

/** 412: the `if-match` etag is stale. */
export function noEtagMatch(): ApiError {
  return new ApiError(
    412,
    "NoEtagMatch",
    "The ETag specified in the request does not match the ETag for the resource.",
  );
}

/** 429 with `retry-after` in seconds. */
export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, "TooManyRequests", "Too many requests for the tenant.", {
    "retry-after": String(retryAfterSeconds),
  });
}

/** 500, as OCI answers an internal fault. */
export function internalServerError(message = "An internal error occurred."): ApiError {
  return new ApiError(500, "InternalServerError", message);
}

/** 400: a service limit (here: the emulated GPU quota) would be exceeded. */
export function limitExceeded(message: string): ApiError {
  return new ApiError(400, "LimitExceeded", message);
}

/** 401: the signature is missing, malformed, stale or wrong. */
export function notAuthenticated(reason: string): ApiError {
  return new ApiError(
    401,
    "NotAuthenticated",
    `The required information to complete authentication was not provided or was incorrect: ${reason}`,
  );
}
