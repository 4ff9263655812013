// Where and as whom we talk to OCI: stack config (`aqua:*`) first, then the OCI CLI's environment conventions.
// The same settings point a stack at the embedded emulator or at a real tenancy.

import * as common from "oci-common";
import * as datascience from "oci-datascience";
import * as limits from "oci-limits";
import * as objectstorage from "oci-objectstorage";
import * as crypto from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { sanitizeSensitiveData } from "oci-common/lib/log";
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
          new (withRegionFallback(common.SessionAuthDetailProvider, settings.region))(configFile, profile),
        );
      case "api_key":
        return readableKey(
          new (withRegionFallback(common.ConfigFileAuthenticationDetailsProvider, settings.region))(
            configFile,
            profile,
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

type ProfileFile = Parameters<common.ConfigFileAuthenticationDetailsProvider["createConfigFileAuth"]>[0];
// biome-ignore lint/suspicious/noExplicitAny: a mixin's base constructor must take any arguments
type ProfileProviderClass = new (...args: any[]) => common.ConfigFileAuthenticationDetailsProvider;

/**
 * The SDK refuses a profile without `region` unless OCI_REGION is set, even when the region comes from elsewhere
 * (aqua:region, OCI_CLI_REGION); so the profile is read through a subclass that answers `region` with ours when the
 * profile has none. A profile's own region still wins inside the SDK, and the clients are pointed at ours afterwards
 * either way. Nothing process-wide changes (setting OCI_REGION for the load would race with every other reader).
 */
function withRegionFallback<T extends ProfileProviderClass>(Base: T, region: string | undefined): T {
  if (!region) return Base;
  return class extends Base {
    override createConfigFileAuth(file: ProfileFile) {
      if (file.get("region")) return super.createConfigFileAuth(file);
      const withRegion: ProfileFile = Object.create(file, {
        get: { value: (key: string) => (key === "region" ? region : file.get(key)) },
      });
      return super.createConfigFileAuth(withRegion);
    }
  };
}

/**
 * The SDK's retrier prints every failed call with console.warn ("Request cannot be retried...", "All retry attempts
 * have exhausted..."), even a 404 we expect; callOci reports failures with OCI's code and request id. Rather than
 * filter the process's console, our clients end a failed call before the retrier reaches that line: it hands each
 * OCI error to the retry condition and then, with no await in between, asks the termination strategy whether to
 * stop; the strategy throws the error it was just handed (sanitized as the SDK would). A call without an answer
 * never reaches the retry condition, so our HTTP client's error hands itself over when the retrier reads its
 * `shouldBeRetried`, the one thing the retrier reads before asking the strategy. The SDK is pinned to one version,
 * and tests/provider/auth-errors.test.ts fails if failed calls print again or lose OCI's error.
 */
export class QuietFailedCalls {
  private handedOver: { error: unknown } | undefined;

  readonly retryConfiguration: common.RetryConfiguration = {
    retryCondition: (error) => {
      this.handedOver = { error };
      return true;
    },
    terminationStrategy: {
      shouldTerminate: () => {
        const failure = this.handedOver;
        this.handedOver = undefined;
        if (failure) throw sanitized(failure.error);
        return true; // the retrier's own path: one attempt, as configured before
      },
    },
  };

  /** Our HTTP client's error for a call without an answer, handing itself over as the retrier inspects it. */
  readonly networkError = (error: Record<string, unknown>): Record<string, unknown> => {
    const handOver = () => {
      this.handedOver = { error: { ...error } };
      return true;
    };
    return Object.defineProperty({ ...error }, "shouldBeRetried", { get: handOver, enumerable: false });
  };
}

/** What the SDK's retrier does to an error before it throws it: no secrets in the message or endpoint. */
function sanitized(error: unknown): unknown {
  if (error === null || typeof error !== "object") return error;
  const fields = error as { message?: unknown; requestEndpoint?: unknown };
  if (typeof fields.message === "string") fields.message = sanitizeSensitiveData(fields.message);
  if (typeof fields.requestEndpoint === "string")
    fields.requestEndpoint = sanitizeSensitiveData(fields.requestEndpoint);
  return error;
}

/** Builds the official SDK clients; SDK retries and circuit breaker are off because `callOci` owns retrying. */
export async function createOciClients(settings: ConnectionSettings): Promise<OciClients> {
  const authProvider = await createAuthProvider(settings);
  const signer = new common.DefaultRequestSigner(authProvider);
  const quiet = new QuietFailedCalls();
  // Our HTTP client has no circuit breaker: an open breaker fails calls without an OCI error to report.
  const clientConfiguration: common.ClientConfiguration = {
    retryConfiguration: quiet.retryConfiguration,
  };
  const httpClient = new RetryAfterHttpClient(signer, quiet.networkError);
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
