// Where and as whom we talk to OCI: stack config (`aqua:*`) first, then the OCI CLI's environment conventions.
// The same settings point a stack at the embedded emulator or at a real tenancy.

import * as common from "oci-common";
import * as datascience from "oci-datascience";
import * as limits from "oci-limits";
import * as objectstorage from "oci-objectstorage";
import * as crypto from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { reasonOf } from "../core/errors";
import { RetryAfterHttpClient } from "./retry-after-http-client";

export type AuthType = "api_key" | "security_token" | "instance_principal" | "resource_principal";

/** Provider configuration; none of it is secret (keys stay in files the config names). */
export interface ConnectionSettings {
  /** Base URL for every service, e.g. the emulator's `http://127.0.0.1:PORT`; absent means OCI's regional endpoints. */
  endpoint?: string | undefined;
  region?: string | undefined;
  configFile?: string | undefined;
  profile?: string | undefined;
  authType?: AuthType | undefined;
  /** Default compartment and project for resources and functions that do not name one. */
  compartmentId?: string | undefined;
  projectId?: string | undefined;
}

const AUTH_TYPES: readonly AuthType[] = ["api_key", "security_token", "instance_principal", "resource_principal"];

/** Reads settings from a config getter (keys without namespace) and the environment. */
export function resolveConnectionSettings(
  getConfig: (key: string) => string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ConnectionSettings {
  const authType = (getConfig("auth") ?? env["OCI_CLI_AUTH"])?.toLowerCase();
  if (authType !== undefined && !AUTH_TYPES.includes(authType as AuthType)) {
    throw new Error(`aqua:auth is "${authType}"; use one of ${AUTH_TYPES.join(", ")} (the OCI CLI's --auth values).`);
  }
  return {
    endpoint: getConfig("endpoint") ?? env["AQUA_OCI_ENDPOINT"],
    region: getConfig("region") ?? env["OCI_CLI_REGION"] ?? env["OCI_REGION"],
    configFile: getConfig("configFile") ?? env["OCI_CLI_CONFIG_FILE"] ?? env["OCI_CONFIG_FILE"],
    profile: getConfig("profile") ?? env["OCI_CLI_PROFILE"],
    authType: authType as AuthType | undefined,
    compartmentId: getConfig("compartmentId") ?? env["OCI_COMPARTMENT_ID"] ?? env["NB_SESSION_COMPARTMENT_OCID"],
    projectId: getConfig("projectId") ?? env["OCI_PROJECT_ID"] ?? env["PROJECT_OCID"],
  };
}

export interface OciClients {
  dataScience: datascience.DataScienceClient;
  objectStorage: objectstorage.ObjectStorageClient;
  /** Service limits and their availability (the pre-create GPU limit check). */
  limits: limits.LimitsClient;
  /** Signs arbitrary requests (inference calls) with the same identity. */
  signer: common.RequestSigner;
  region: string;
  settings: ConnectionSettings;
}

async function createAuthProvider(settings: ConnectionSettings): Promise<common.AuthenticationDetailsProvider> {
  const configFile = settings.configFile ?? path.join(os.homedir(), ".oci", "config");
  const profile = settings.profile ?? "DEFAULT";
  try {
    switch (settings.authType ?? "api_key") {
      case "instance_principal":
        return await new common.InstancePrincipalsAuthenticationDetailsProviderBuilder().build();
      case "resource_principal":
        return await common.ResourcePrincipalAuthenticationDetailsProvider.builder();
      case "security_token":
        return readableKey(
          withRegionFallback(settings.region, () => new common.SessionAuthDetailProvider(configFile, profile)),
        );
      case "api_key":
        return readableKey(
          withRegionFallback(
            settings.region,
            () => new common.ConfigFileAuthenticationDetailsProvider(configFile, profile),
          ),
        );
    }
  } catch (error) {
    const reason = reasonOf(error);
    throw new Error(
      `Could not load OCI credentials (auth ${settings.authType ?? "api_key"}, config file ${configFile}, profile ${profile}): ${reason}. ` +
        `Fix the profile, or set aqua:configFile / aqua:profile (OCI_CLI_CONFIG_FILE / OCI_CLI_PROFILE); ` +
        `for the embedded emulator run \`npx aqua-emulator start\` and use the config file it writes.`,
    );
  }
}

/**
 * The profile's private key, opened with its pass_phrase, before the SDK's signer parses it: given a wrong pass
 * phrase the signer's key parser fails with "encoding too long" and then throws "Incorrect passphrase supplied"
 * again later, outside any call, which ends the provider process. Node's own parser gives one clear error here.
 */
function readableKey<T extends common.AuthenticationDetailsProvider>(provider: T): T {
  const passphrase = provider.getPassphrase() || undefined;
  const key = provider.getPrivateKey();
  try {
    crypto.createPrivateKey({ key, format: "pem", ...(passphrase === undefined ? {} : { passphrase }) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint =
      passphrase !== undefined
        ? "is pass_phrase in the profile the key's pass phrase?"
        : /ENCRYPTED/.test(key)
          ? "the key is encrypted: set pass_phrase in the profile"
          : "is key_file a PEM private key?";
    throw new Error(`its private key cannot be opened (${reason}; ${hint})`);
  }
  return provider;
}

/**
 * The SDK refuses a profile without `region` unless OCI_REGION is set, even when the region comes from elsewhere
 * (aqua:region, OCI_CLI_REGION); so our region stands in for OCI_REGION while the profile loads. A profile's own
 * region still wins inside the SDK, and the clients are pointed at ours afterwards either way.
 */
function withRegionFallback<T>(region: string | undefined, build: () => T): T {
  if (!region || process.env["OCI_REGION"]) return build();
  process.env["OCI_REGION"] = region;
  try {
    return build();
  } finally {
    delete process.env["OCI_REGION"];
  }
}

let sdkWarningsFiltered = false;

/**
 * The SDK's retrier prints every failed call with console.warn ("Request cannot be retried...", "All retry attempts
 * have exhausted..."), even a 404 we expect; callOci reports failures with OCI's code and request id, so those two
 * lines are dropped and every other warning is kept.
 */
function filterSdkRetryWarnings(): void {
  if (sdkWarningsFiltered) return;
  sdkWarningsFiltered = true;
  const warn = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    const first = typeof args[0] === "string" ? args[0] : "";
    if (first.startsWith("Request cannot be retried") || first.startsWith("All retry attempts have exhausted")) return;
    warn(...args);
  };
}

/** Builds the official SDK clients; SDK retries and circuit breaker are off because `callOci` owns retrying. */
export async function createOciClients(settings: ConnectionSettings): Promise<OciClients> {
  filterSdkRetryWarnings();
  const authProvider = await createAuthProvider(settings);
  const signer = new common.DefaultRequestSigner(authProvider);
  // Our HTTP client has no circuit breaker: an open breaker fails calls without an OCI error to report.
  const clientConfiguration: common.ClientConfiguration = {
    retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
  };
  const httpClient = new RetryAfterHttpClient(signer);
  // AuthParams types "only one of" provider and client, but the SDK uses both: the provider for region, ours to send.
  const params = { authenticationDetailsProvider: authProvider, httpClient } as unknown as common.AuthParams;
  const dataScience = new datascience.DataScienceClient(params, clientConfiguration);
  const objectStorage = new objectstorage.ObjectStorageClient(params, clientConfiguration);
  const limitsClient = new limits.LimitsClient(params, clientConfiguration);
  const providerRegion = (authProvider as { getRegion?: () => common.Region | undefined }).getRegion?.()?.regionId;
  const region = settings.region ?? providerRegion ?? "us-ashburn-1";
  if (settings.region) {
    dataScience.regionId = settings.region;
    objectStorage.regionId = settings.region;
    limitsClient.regionId = settings.region;
  }
  // The endpoint is set last: setting a region afterwards would overwrite it.
  if (settings.endpoint) {
    dataScience.endpoint = settings.endpoint;
    objectStorage.endpoint = settings.endpoint;
    limitsClient.endpoint = settings.endpoint;
  }
  return { dataScience, objectStorage, limits: limitsClient, signer, region, settings };
}
