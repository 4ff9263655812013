// Verifies OCI's HTTP request signature (draft-cavage-http-signatures-08 in the `authorization` header, as
// `oci-common`'s DefaultRequestSigner writes it): rebuild the signing string from the `headers=` list, check
// RSA-SHA256 against the key registered for the keyId, check `x-content-sha256` against the body, refuse clock skew.

import { createHash, verify } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { parse as parseLegacyUrl } from "node:url";
import { notAuthenticated } from "./errors";

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The caller a valid signature proves. */
export interface SignedPrincipal {
  keyId: string;
  tenancyId: string;
  userId: string;
  fingerprint: string;
}

/** What verification needs to know about one request. */
export interface SignedRequest {
  method: string;
  /** The raw request target as received (`req.url`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when the operation takes a JSON body, which OCI requires to be covered by the signature. */
  expectsSignedBody: boolean;
  now: number;
}

/** Checks the signature of `request`; returns the principal or throws 401 NotAuthenticated. */
export function verifyRequestSignature(
  request: SignedRequest,
  findPublicKey: (keyId: string) => string | undefined,
): SignedPrincipal {
  const parameters = parseAuthorization(request.headers.authorization);
  const keyId = requireParameter(parameters, "keyId");
  const signature = requireParameter(parameters, "signature");
  if ((parameters.get("algorithm") ?? "rsa-sha256").toLowerCase() !== "rsa-sha256") {
    throw notAuthenticated("only algorithm rsa-sha256 is supported");
  }
  const signedHeaders = (parameters.get("headers") ?? "date").split(/\s+/).filter(Boolean);
  checkRequiredHeadersSigned(signedHeaders, request);
  checkClockSkew(request);
  const publicKey = findPublicKey(keyId);
  if (!publicKey) throw notAuthenticated(`no API key is registered for keyId ${keyId}`);
  const signatureBytes = Buffer.from(signature, "base64");
  const verified = listRequestTargets(request.url).some((target) =>
    verify("sha256", Buffer.from(buildSigningString(signedHeaders, request, target)), publicKey, signatureBytes),
  );
  if (!verified) throw notAuthenticated("the signature does not match the request");
  checkBodyDigest(signedHeaders, request);
  return readPrincipal(keyId);
}

function parseAuthorization(header: string | undefined): Map<string, string> {
  if (!header) throw notAuthenticated("the request is not signed (no authorization header)");
  const match = /^Signature\s+(.*)$/i.exec(header.trim());
  if (!match?.[1]) throw notAuthenticated("the authorization header is not an HTTP signature");
  const parameters = new Map<string, string>();
  for (const pair of match[1].matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
    if (pair[1] !== undefined && pair[2] !== undefined) parameters.set(pair[1], pair[2]);
  }
  return parameters;
}

function requireParameter(parameters: Map<string, string>, name: string): string {
  const value = parameters.get(name);
  if (!value) throw notAuthenticated(`the signature has no ${name}`);
  return value;
}

function checkRequiredHeadersSigned(signedHeaders: string[], request: SignedRequest): void {
  const signed = new Set(signedHeaders.map((name) => name.toLowerCase()));
  const required = ["(request-target)", "host"];
  if (request.expectsSignedBody) required.push("content-length", "x-content-sha256");
  for (const name of required) {
    if (!signed.has(name)) throw notAuthenticated(`the signature must cover the ${name} header`);
  }
  if (!signed.has("date") && !signed.has("x-date")) throw notAuthenticated("the signature must cover date or x-date");
  for (const name of signed) {
    if (name !== "(request-target)" && request.headers[name] === undefined) {
      throw notAuthenticated(`the signed header ${name} is missing from the request`);
    }
  }
}

function checkClockSkew(request: SignedRequest): void {
  const sent = readHeader(request.headers, "x-date") ?? readHeader(request.headers, "date");
  const sentAt = sent === undefined ? Number.NaN : Date.parse(sent);
  if (Number.isNaN(sentAt)) throw notAuthenticated("the date header is missing or unreadable");
  if (Math.abs(request.now - sentAt) > MAX_CLOCK_SKEW_MS) {
    throw notAuthenticated(`the request date ${sent} is more than 5 minutes from the server clock`);
  }
}

/**
 * The request targets to try, all the same request: as received; as oci-common 2.139 signs it (`url.parse(uri).path`
 * of the unencoded URL, which escapes `{ } | ^` and the like that fetch sends raw); and that form with non-ASCII
 * characters unescaped (fetch percent-encodes them, the signer keeps them raw).
 */
function listRequestTargets(url: string): string[] {
  const legacy = parseLegacyUrl(`http://emulator${url}`).path ?? url;
  const raw = legacy.replace(/(?:%[89A-Fa-f][0-9A-Fa-f])+/g, (encoded) => {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return encoded;
    }
  });
  return [...new Set([url, legacy, raw])];
}

function buildSigningString(signedHeaders: string[], request: SignedRequest, target: string): string {
  return signedHeaders
    .map((name) => {
      const lower = name.toLowerCase();
      if (lower === "(request-target)") return `(request-target): ${request.method.toLowerCase()} ${target}`;
      return `${lower}: ${readHeader(request.headers, lower) ?? ""}`;
    })
    .join("\n");
}

function checkBodyDigest(signedHeaders: string[], request: SignedRequest): void {
  if (!signedHeaders.some((name) => name.toLowerCase() === "x-content-sha256")) return;
  const claimed = readHeader(request.headers, "x-content-sha256");
  const actual = createHash("sha256").update(request.body).digest("base64");
  if (claimed !== actual) throw notAuthenticated("x-content-sha256 does not match the request body");
}

function readPrincipal(keyId: string): SignedPrincipal {
  const [tenancyId = "", userId = "", fingerprint = ""] = keyId.split("/");
  return { keyId, tenancyId, userId, fingerprint };
}

function readHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}
