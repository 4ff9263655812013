import { strict as assert } from "node:assert";
import { modelEvaluationArgsSchema, multiModelDeploymentArgsSchema } from "../../provider/core/input-schemas";
import { modelEvaluationOutputSchema, multiModelDeploymentOutputSchema } from "../../provider/core/output-schemas";
import { DEPLOYMENT_CHANGE_EFFECTS } from "../../provider/core/update-rules";
import { readDeployment } from "../../provider/hooks/deployment-read";
import * as evaluation from "../../provider/hooks/model-evaluation";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import {
  FALCON,
  MISTRAL,
  type ProviderTestCloud,
  readEvaluationFixture,
  seedEvaluation,
  serviceModelId,
  startProviderTestCloud,
} from "./harness";

// Every input of each resource goes through create and comes back from a read: a refresh (read with the state) gives
// back every input, and an import (read with the OCID alone) every input OCI holds (all but those whose change
// effect is "none": the provider's own knobs, which live only in the program, and DEPLOYMENT_IMPORT_GAPS). The keys
// come from the input schemas, so a new input fails here until it has a sample value below and survives create and
// the reads; every output the output schema requires must be there after create and a refresh.

/**
 * Inputs an import cannot give back, with why. OCI keeps the GPU counts a deployment runs with, not that the planner
 * chose them: an import of an allocation "auto" deployment gives explicit counts, and no primaryModelId.
 */
const DEPLOYMENT_IMPORT_GAPS: Record<string, string> = {
  primaryModelId: "only meaningful with allocation auto, which OCI does not record",
  inferenceKeys:
    "a group whose members all have keys was made with true or left unset (both key every name that fits): import reads it as unset",
};

/**
 * Inputs that exclude another one: each gets its own round trip, in place of the one it excludes (autoscaling
 * replaces instanceCount; a blue/green rollout needs the smoke test that the main sample turns off).
 */
const DEPLOYMENT_ALTERNATIVES: Record<string, string> = {
  autoscaling: "instanceCount",
  rollout: "smokeTest",
  rolloutGate: "smokeTest",
};

/** One value per input, each unlike the input's default, so a step that drops or defaults it shows. */
function deploymentSample(cloud: ProviderTestCloud): Record<string, unknown> {
  return {
    modelStore: "modelGroup",
    models: [
      { modelId: serviceModelId(MISTRAL), modelName: "mistral-rt", params: { "--max-model-len": "2048" } },
      { modelId: serviceModelId(FALCON), modelName: "falcon-rt" },
    ],
    allocation: "auto",
    primaryModelId: serviceModelId(MISTRAL),
    instanceShape: "VM.GPU.A10.2",
    displayName: "round-trip",
    description: "every input, once",
    compartmentId: cloud.emulator.compartmentId,
    projectId: cloud.emulator.projectId,
    containerImageUri: "dsmc://odsc-vllm-serving:0.6.4.post1.2",
    instanceCount: 2,
    bandwidthMbps: 20,
    logGroupId: "ocid1.loggroup.oc1.iad.roundtrip",
    accessLogId: "ocid1.log.oc1.iad.roundtripaccess",
    predictLogId: "ocid1.log.oc1.iad.roundtrippredict",
    webConcurrency: 2,
    serverPort: 8081,
    healthCheckPort: 8082,
    environmentVariables: { ROUND_TRIP: "yes" },
    privateEndpointId: "ocid1.datascienceprivateendpoint.oc1.iad.roundtrip",
    subnetId: "ocid1.subnet.oc1.iad.roundtrip",
    freeformTags: { team: "round-trip" },
    definedTags: { "Operations.CostCenter": "42" },
    smokeTest: false,
    serviceLimitCheck: false,
    timeouts: { create: 20, update: 25, delete: 30 },
    updateType: "live",
    inferenceKeys: true,
  };
}

/** A sample of each alternative input (DEPLOYMENT_ALTERNATIVES). */
const ALTERNATIVE_SAMPLES: Record<string, unknown> = {
  rollout: "blueGreen",
  rolloutGate: { prompts: [{ model: "mistral-rt", prompt: "What is 1+1?", expect: ".", maxTokens: 8 }] },
  autoscaling: {
    minimumInstanceCount: 1,
    maximumInstanceCount: 3,
    initialInstanceCount: 2,
    coolDownInSeconds: 600,
    rules: [{ metric: "cpu", scaleOutThreshold: 75, scaleInThreshold: 20 }],
  },
};

function evaluationSample(cloud: ProviderTestCloud, deploymentId: string): Record<string, unknown> {
  const { inputs } = seedEvaluation(cloud.emulator.namespace, deploymentId);
  return {
    ...inputs,
    evaluationDescription: "every input, once",
    memoryInGbs: 32,
    ocpus: 4,
    compartmentId: cloud.emulator.compartmentId,
    projectId: cloud.emulator.projectId,
    experimentId: undefined,
    experimentDescription: "round-trip experiment",
    logGroupId: "ocid1.loggroup.oc1.iad.roundtrip",
    logId: "ocid1.log.oc1.iad.roundtripeval",
    forceOverwrite: true,
    thresholds: { "rouge-l": { min: 0 } },
    containerImageUri: "dsmc://odsc-llm-evaluate:0.1.2.1",
    freeformTags: { team: "round-trip" },
    definedTags: { "Operations.CostCenter": "42" },
    timeouts: { create: 20, delete: 30 },
  };
}

/** The keys of `schema` that `sample` gives no value. */
function missingKeys(schema: { shape: object }, sample: Record<string, unknown>): string[] {
  return Object.keys(schema.shape).filter((key) => !(key in sample));
}

/** `key` as a read gave it back, when that differs from what went in. */
function differences(
  key: string,
  given: Record<string, unknown>,
  read: Record<string, unknown> | undefined,
  step: string,
): string[] {
  try {
    assert.deepEqual(read?.[key], given[key]);
    return [];
  } catch {
    return [`${key} after ${step}: ${JSON.stringify(read?.[key])} instead of ${JSON.stringify(given[key])}`];
  }
}

describe("round trip: inputs -> create -> refresh and import -> the same inputs", function () {
  this.timeout(120_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud?.stop());

  /** Creates `sample`, then reads it back: what each read lost (`import` false: the refresh alone). */
  async function deploymentRoundTrip(sample: Record<string, unknown>, withImport: boolean): Promise<string[]> {
    const checked = await deployment.checkDeployment(cloud.context, sample);
    assert.deepEqual(checked.failures, []);
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    const outs = created.outs as unknown as Record<string, unknown>;
    const refreshed = await readDeployment(cloud.context, created.id, outs);
    const imported = withImport ? await readDeployment(cloud.context, created.id, {}) : undefined;
    const lost: string[] = [];
    for (const key of Object.keys(multiModelDeploymentArgsSchema.shape)) {
      lost.push(...differences(key, checked.inputs, refreshed.inputs, "refresh"));
      const effect = (DEPLOYMENT_CHANGE_EFFECTS as Record<string, string>)[key];
      if (imported && effect !== "none" && !(key in DEPLOYMENT_IMPORT_GAPS))
        lost.push(...differences(key, checked.inputs, imported.inputs, "import"));
    }
    for (const [key, schema] of Object.entries(multiModelDeploymentOutputSchema.shape)) {
      if (schema.safeParse(undefined).success) continue;
      if (outs[key] === undefined) lost.push(`create gave no ${key} output`);
      if (refreshed.props[key] === undefined) lost.push(`a refresh gave no ${key} output`);
    }
    await deployment.deleteDeployment(cloud.context, created.id, outs);
    return lost;
  }

  it("MultiModelDeployment: every input survives create and a refresh (allocation auto)", async () => {
    const sample = deploymentSample(cloud);
    assert.deepEqual(
      missingKeys(multiModelDeploymentArgsSchema, sample).filter((key) => !(key in DEPLOYMENT_ALTERNATIVES)),
      [],
      "give each new input a sample value",
    );
    assert.deepEqual(await deploymentRoundTrip(sample, false), [], "every input comes back as it went in");
  });

  it("MultiModelDeployment: each input that excludes another survives create, a refresh and an import in its place", async () => {
    // One variant per excluded input: the inputs that exclude the same one go together (a rollout gate needs the
    // blue/green rollout).
    for (const excluded of new Set(Object.values(DEPLOYMENT_ALTERNATIVES))) {
      const { [excluded]: _excluded, primaryModelId: _auto, ...sample } = deploymentSample(cloud);
      const companions = Object.keys(DEPLOYMENT_ALTERNATIVES).filter(
        (other) => DEPLOYMENT_ALTERNATIVES[other] === excluded,
      );
      const variant = {
        ...sample,
        allocation: "explicit",
        models: (sample["models"] as Array<Record<string, unknown>>).map((model) => ({ ...model, gpuCount: 1 })),
        ...Object.fromEntries(companions.map((companion) => [companion, ALTERNATIVE_SAMPLES[companion]])),
      };
      assert.deepEqual(
        await deploymentRoundTrip(variant, true),
        [],
        `${companions.join(", ")} come back as they went in`,
      );
    }
  });

  it("MultiModelDeployment: every input OCI holds survives create and an import (allocation explicit)", async () => {
    const { primaryModelId: _auto, ...sample } = deploymentSample(cloud);
    const explicit = {
      ...sample,
      allocation: "explicit",
      models: (sample["models"] as Array<Record<string, unknown>>).map((model) => ({ ...model, gpuCount: 1 })),
    };
    assert.deepEqual(
      missingKeys(multiModelDeploymentArgsSchema, explicit).filter(
        (key) => !(key in DEPLOYMENT_IMPORT_GAPS) && !(key in DEPLOYMENT_ALTERNATIVES),
      ),
      [],
      "give each new input a sample value",
    );
    assert.deepEqual(await deploymentRoundTrip(explicit, true), [], "every input comes back as it went in");
  });

  // ModelEvaluations cannot be imported (the plugin refuses: their inputs live in job-run arguments), so the refresh.
  it("ModelEvaluation: every input survives create and a refresh", async () => {
    const source = await deployment.createDeployment(
      cloud.context,
      (
        await deployment.checkDeployment(cloud.context, {
          models: [
            { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
            { modelId: serviceModelId(FALCON), gpuCount: 1 },
          ],
          instanceShape: "VM.GPU.A10.2",
          displayName: "round-trip-source",
          smokeTest: false,
        })
      ).inputs,
    );
    const { objectStorage } = await cloud.context.clients();
    const dataset = readEvaluationFixture("qa-dataset.jsonl");
    await objectStorage.putObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "evals",
      objectName: "data/qa-dataset.jsonl",
      putObjectBody: dataset,
      contentLength: Buffer.byteLength(dataset),
    });
    const sample = evaluationSample(cloud, source.id);
    assert.deepEqual(missingKeys(modelEvaluationArgsSchema, sample), [], "give each new input a sample value");
    const checked = await evaluation.checkEvaluation(cloud.context, sample, {});
    assert.deepEqual(checked.failures, []);
    const created = await evaluation.createEvaluation(cloud.context, checked.inputs);
    const outs = created.outs as unknown as Record<string, unknown>;
    const refreshed = await evaluation.readEvaluation(cloud.context, created.id, outs);
    const lost: string[] = [];
    for (const key of Object.keys(modelEvaluationArgsSchema.shape)) {
      lost.push(...differences(key, checked.inputs, refreshed.inputs, "refresh"));
    }
    assert.deepEqual(lost, [], "every input comes back as it went in");
    for (const [key, schema] of Object.entries(modelEvaluationOutputSchema.shape)) {
      if (schema.safeParse(undefined).success) continue;
      assert.ok(outs[key] !== undefined, `create gives the ${key} output`);
      assert.ok(refreshed.props[key] !== undefined, `a refresh gives the ${key} output`);
    }
  });
});
