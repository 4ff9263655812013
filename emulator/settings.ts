// The realism knobs: lifecycle delays, fault injection, capacity failures, GPU quotas and service limits, a rate limit.
// Sources, strongest first: startEmulator() options, AQUA_EMULATOR_* environment variables, <dataDir>/emulator.json.

import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

const probability = z.number().min(0).max(1);

/** Faults for one operation (or `*` for all): probabilities per call, and/or a fixed number of first calls. */
export const faultRuleSchema = z.strictObject({
  /** Probability of answering 429 TooManyRequests (with retry-after). */
  tooManyRequests: probability.optional(),
  /** Probability of answering 500 InternalServerError. */
  internalError: probability.optional(),
  /** Probability of resetting the connection without an answer. */
  connectionReset: probability.optional(),
  /** The next `count` calls fail with `fault`, before any probability applies. */
  firstCalls: z
    .strictObject({
      count: z.number().int().min(1),
      fault: z.enum(["tooManyRequests", "internalError", "connectionReset"]),
    })
    .optional(),
});

/** Fault injection: a seeded generator (reproducible runs) and rules keyed by OCI operation name, e.g. `GetModel`. */
export const faultSettingsSchema = z.strictObject({
  seed: z.number().int().default(1),
  operations: z.record(z.string(), faultRuleSchema).default({}),
});

/** Every knob, with the defaults users get. */
export const emulatorSettingsSchema = z.strictObject({
  /** Milliseconds each lifecycle transition takes (CREATING -> ACTIVE, ACCEPTED -> IN_PROGRESS, ...). */
  lifecycleDelayMs: z.number().int().min(0).default(1500),
  faults: faultSettingsSchema.default({ seed: 1, operations: {} }),
  /** Deployments on these shapes go CREATING -> FAILED with OCI's "Out of host capacity." reason. */
  failCreateForShapes: z.array(z.string()).default([]),
  quotas: z
    .strictObject({
      /** Most GPUs (GPUs per shape x instances) live deployments of a compartment may hold, per shape name; `*` for any. */
      gpuCountPerCompartment: z.record(z.string(), z.number().int().min(0)).default({}),
    })
    .default({ gpuCountPerCompartment: {} }),
  /**
   * The tenancy's Data Science GPU service limits in GPUs, by limit name (e.g. `ds-gpu-a10-count`); a limit not named
   * here is 64. Enforced on create/update/activate (400 LimitExceeded) and reported by GetResourceAvailability.
   */
  serviceLimits: z.record(z.string(), z.number().int().min(0)).default({}),
  /** Oracle-Tags.CreatedBy/CreatedOn added to new model deployments and models, as a tenancy's tag defaults do. */
  tagDefaults: z.boolean().default(true),
  /** Limits whose availability GetResourceAvailability leaves empty (OCI does so where it cannot compute it). */
  unreportedServiceLimits: z.array(z.string()).default([]),
  /** Signed API requests per second before 429 TooManyRequests; absent means unlimited. */
  rateLimitPerSecond: z.number().positive().optional(),
  /**
   * Member models (model OCIDs or inference keys) whose per-model state (ListModelDeploymentModelStates) reads FAILED
   * in every deployment serving them, as a model that did not load on its instances would.
   */
  failedModels: z.array(z.string()).default([]),
  /**
   * Metric values the emulator reports for autoscaling, by deployment OCID (or `*`): CPU_UTILIZATION and
   * MEMORY_UTILIZATION in percent, CUSTOM for a custom query's value. What OCI's Monitoring service would measure.
   */
  reportedMetrics: z
    .record(
      z.string(),
      z.strictObject({
        CPU_UTILIZATION: z.number().min(0).optional(),
        MEMORY_UTILIZATION: z.number().min(0).optional(),
        CUSTOM: z.number().optional(),
      }),
    )
    .default({}),
  /** Passed to the inference handler: deployment OCID (or `*`) to a real OpenAI-compatible base URL. */
  proxyMap: z.record(z.string(), z.string()).default({}),
  /** Writes one line per request to stderr: method, path, status, milliseconds. */
  logRequests: z.boolean().default(false),
});

export type FaultRule = z.output<typeof faultRuleSchema>;
export type FaultSettings = z.output<typeof faultSettingsSchema>;
export type EmulatorSettings = z.output<typeof emulatorSettingsSchema>;
/** The knobs as a caller or a file may give them: every field optional. */
export type EmulatorSettingsInput = z.input<typeof emulatorSettingsSchema>;

const SETTINGS_FILE = "emulator.json";

/** The knobs for `dataDir`: `overrides` over the environment over `<dataDir>/emulator.json` over the defaults. */
export function loadSettings(
  dataDir: string,
  overrides: EmulatorSettingsInput,
  environment: NodeJS.ProcessEnv = process.env,
): EmulatorSettings {
  const merged = { ...readSettingsFile(dataDir), ...readSettingsEnvironment(environment), ...dropUndefined(overrides) };
  const result = emulatorSettingsSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`Invalid emulator setting ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "unknown problem"}`);
  }
  return result.data;
}

function readSettingsFile(dataDir: string): Record<string, unknown> {
  const file = path.join(dataDir, SETTINGS_FILE);
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * AQUA_EMULATOR_LIFECYCLE_DELAY_MS, _FAULTS (JSON), _FAIL_CREATE_FOR_SHAPES (comma list), _QUOTAS (JSON),
 * _SERVICE_LIMITS (JSON), _FAILED_MODELS (comma list), _REPORTED_METRICS (JSON), _RATE_LIMIT_PER_SECOND, _PROXY_MAP (JSON), _LOG_REQUESTS (1 or true).
 */
export function readSettingsEnvironment(environment: NodeJS.ProcessEnv): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  const read = (name: string): string | undefined => {
    const value = environment[`AQUA_EMULATOR_${name}`];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const delay = read("LIFECYCLE_DELAY_MS");
  if (delay !== undefined) settings.lifecycleDelayMs = Number(delay);
  const faults = read("FAULTS");
  if (faults !== undefined) settings.faults = parseJsonVariable("AQUA_EMULATOR_FAULTS", faults);
  const shapes = read("FAIL_CREATE_FOR_SHAPES");
  if (shapes !== undefined)
    settings.failCreateForShapes = shapes
      .split(",")
      .map((shape) => shape.trim())
      .filter(Boolean);
  const quotas = read("QUOTAS");
  if (quotas !== undefined) settings.quotas = parseJsonVariable("AQUA_EMULATOR_QUOTAS", quotas);
  const serviceLimits = read("SERVICE_LIMITS");
  if (serviceLimits !== undefined)
    settings.serviceLimits = parseJsonVariable("AQUA_EMULATOR_SERVICE_LIMITS", serviceLimits);
  const rate = read("RATE_LIMIT_PER_SECOND");
  if (rate !== undefined) settings.rateLimitPerSecond = Number(rate);
  const logRequests = read("LOG_REQUESTS");
  if (logRequests !== undefined) settings.logRequests = logRequests === "1" || logRequests.toLowerCase() === "true";
  const failedModels = read("FAILED_MODELS");
  if (failedModels !== undefined)
    settings.failedModels = failedModels
      .split(",")
      .map((model) => model.trim())
      .filter(Boolean);
  const metrics = read("REPORTED_METRICS");
  if (metrics !== undefined) settings.reportedMetrics = parseJsonVariable("AQUA_EMULATOR_REPORTED_METRICS", metrics);
  const proxyMap = read("PROXY_MAP");
  if (proxyMap !== undefined) settings.proxyMap = parseJsonVariable("AQUA_EMULATOR_PROXY_MAP", proxyMap);
  return settings;
}

function parseJsonVariable(name: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

function dropUndefined(values: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
