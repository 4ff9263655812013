// Byte parity of the stacked form (one base model plus LoRA adapters in one vLLM) with what oracle-ads 2.16.1 sent to
// OCI on the same inputs (tests/fixtures/stacked, made by scripts/ads-parity/stacked/replay.py: ADS's own create and
// update with only the SDK's HTTP session faked, over the Model Group parity's catalog world).

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ValidationError } from "../../provider/core/errors";
import { parseGroupParams, readInferenceContainer } from "../../provider/core/render-model-group";
import {
  renderStackedDeploymentTags,
  renderStackedEnvironment,
  renderStackedGroup,
  renderStackedParams,
  roundTripMetadataValue,
  stackedBaseServedName,
  stackedConfigEnvironment,
  stackedServedNames,
} from "../../provider/core/render-stacked-group";
import type { DeploymentConfig } from "../../provider/core/types";

const fixtures = path.join(__dirname, "..", "..", "..", "tests", "fixtures");
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8"));

interface CatalogEntry {
  model: {
    id: string;
    displayName: string;
    description?: string;
    freeformTags: Record<string, string>;
    customMetadataList: Array<{ key: string; value: string; description: string; category: string }>;
  };
  definedMetadataArtifacts?: { DeploymentConfiguration?: DeploymentConfig };
}
interface StackedModel {
  model_id: string;
  model_name?: string;
  fine_tune_weights?: Array<{ model_id: string; model_name?: string }>;
}
interface StackedCase {
  name: string;
  create: {
    compartment_id: string;
    instance_shape: string;
    models: StackedModel[];
    freeform_tags?: Record<string, string>;
    env_var?: Record<string, string>;
    web_concurrency?: number;
  };
  update?: { models: StackedModel[] };
}
interface Metadatum {
  key: string;
  value: string;
}
interface AdsGroup {
  displayName: string;
  description?: string;
  freeformTags: Record<string, string>;
  modelGroupDetails: { type: string; baseModelId: string; customMetadataList: Metadatum[] };
  memberModelEntries: { memberModelDetails: Array<{ modelId: string; inferenceKey?: string }> };
}
interface AdsDeployment {
  freeformTags: Record<string, string>;
  modelDeploymentConfigurationDetails: {
    deploymentType: string;
    updateType?: string;
    environmentConfigurationDetails: { image: string; environmentVariables: Record<string, string> };
  };
}
interface AdsCase {
  error?: string;
  createModelGroupDetails: AdsGroup;
  createModelDeploymentDetails: AdsDeployment;
  update?: { error?: string; createModelGroupDetails: AdsGroup; updateModelDeploymentDetails: AdsDeployment };
}

const spec = read("stacked/cases.json") as { world: string; cases: StackedCase[] };
const world = read(path.join("stacked", spec.world)).world as {
  namespace: string;
  catalog: Record<string, CatalogEntry>;
  containers: Array<{
    familyName: string;
    containerName: string;
    tag: string;
    workloadConfigurationDetailsList: Array<{
      cmd: string;
      serverPort: number;
      healthCheckPort: number;
      additionalConfigurations: Record<string, string>;
    }>;
  }>;
};
const expected = (read("stacked/ads-2.16.1-expected.json") as { cases: Record<string, AdsCase> }).cases;
const vllm = world.containers[0];
const workload = vllm?.workloadConfigurationDetailsList[0];
if (!vllm || !workload) throw new Error("the world has no vLLM container");
const container = readInferenceContainer({ family: vllm.familyName, ...workload });

const entry = (modelId: string): CatalogEntry => {
  const found = world.catalog[modelId];
  if (!found) throw new Error(`no catalog entry ${modelId}`);
  return found;
};

function groupOf(testCase: StackedCase, model: StackedModel) {
  const base = entry(model.model_id).model;
  return renderStackedGroup({
    base: {
      modelId: base.id,
      displayName: base.displayName,
      description: base.description,
      freeformTags: base.freeformTags,
      customMetadata: base.customMetadataList,
    },
    baseInferenceKey: model.model_name,
    adapters: (model.fine_tune_weights ?? []).map((weights) => ({
      modelId: weights.model_id,
      inferenceKey: weights.model_name,
    })),
    userFreeformTags: testCase.create.freeform_tags,
  });
}

function assertGroup(ours: ReturnType<typeof groupOf>, ads: AdsGroup) {
  assert.equal(ads.modelGroupDetails.type, "STACKED");
  assert.equal(ours.baseModelId, ads.modelGroupDetails.baseModelId);
  assert.equal(ours.displayName, ads.displayName);
  assert.equal(ours.description, ads.description);
  assert.deepEqual(ours.freeformTags, ads.freeformTags);
  // ADS keeps custom metadata in a set: the wire order follows Python's hash seed, so compare by key.
  const byKey = (list: readonly Metadatum[]) => Object.fromEntries(list.map((item) => [item.key, item]));
  assert.deepEqual(byKey(ours.customMetadata), byKey(ads.modelGroupDetails.customMetadataList));
  assert.deepEqual(ours.members, ads.memberModelEntries.memberModelDetails);
}

const accepted = spec.cases.filter((testCase) => !expected[testCase.name]?.error);

describe("stacked form: parity with ADS 2.16.1", () => {
  it("compares at least three accepted stacked deployments with updates, and ADS's refusals", () => {
    assert.ok(accepted.length >= 3);
    assert.ok(accepted.filter((testCase) => expected[testCase.name]?.update?.updateModelDeploymentDetails).length >= 2);
    assert.match(String(expected["refused-stacked-two-bases"]?.error), /Only one base model/);
    assert.match(String(expected["refused-stacked-base-change"]?.update?.error), /Base model id can't be changed/);
  });

  for (const testCase of accepted) {
    it(`${testCase.name}: the STACKED group, the deployment's environment (--enable_lora, --max-lora-rank) and tags are ADS's`, () => {
      const ads = expected[testCase.name];
      assert.ok(ads);
      const [model] = testCase.create.models;
      assert.ok(model);
      const group = groupOf(testCase, model);
      assertGroup(group, ads.createModelGroupDetails);

      const { PARAMS: userParamsText, ...userEnvironment } = testCase.create.env_var ?? {};
      const servedName = stackedBaseServedName(model.model_id, model.model_name);
      const params = renderStackedParams({
        container,
        config: entry(model.model_id).definedMetadataArtifacts?.DeploymentConfiguration,
        instanceShape: testCase.create.instance_shape,
        userParams: userParamsText === undefined ? undefined : Object.fromEntries(parseGroupParams(userParamsText)),
        servedName,
      });
      const artifact = group.customMetadata.find((item) => item.key === "artifact_location")?.value ?? "";
      const environment = renderStackedEnvironment({
        userEnvironment,
        artifactLocation: artifact,
        baseModelId: model.model_id,
        params,
        paramsFromUser: userParamsText !== undefined,
        container,
        telemetryNamespace: world.namespace,
        compartmentId: testCase.create.compartment_id,
        webConcurrency: testCase.create.web_concurrency,
      });
      const details = ads.createModelDeploymentDetails.modelDeploymentConfigurationDetails;
      assert.equal(details.deploymentType, "MODEL_GROUP");
      // Byte for byte, key order included (the SDK sends the dict in insertion order).
      assert.equal(
        JSON.stringify(environment),
        JSON.stringify(details.environmentConfigurationDetails.environmentVariables),
      );
      assert.match(environment["PARAMS"] ?? "", /--max-lora-rank 32 --enable_lora$/);
      assert.equal(details.environmentConfigurationDetails.image, `dsmc://${vllm.containerName}:${vllm.tag}`);
      assert.deepEqual(
        renderStackedDeploymentTags(group, testCase.create.freeform_tags),
        ads.createModelDeploymentDetails.freeformTags,
      );
      assert.deepEqual(stackedServedNames(params, group.members, model.model_id), [
        servedName,
        ...(model.fine_tune_weights ?? []).map((weights) => weights.model_name ?? weights.model_id),
      ]);

      if (testCase.update && !ads.update?.error) {
        const [updated] = testCase.update.models;
        assert.ok(updated && ads.update?.createModelGroupDetails);
        assertGroup(groupOf(testCase, updated), ads.update.createModelGroupDetails);
        const put = ads.update.updateModelDeploymentDetails.modelDeploymentConfigurationDetails;
        assert.equal(put.updateType, "LIVE");
        // The environment does not change when adapters do: the endpoint keeps serving the same base.
        assert.deepEqual(put.environmentConfigurationDetails.environmentVariables, environment);
      }
    });
  }

  it("refuses a restricted flag in the user's params, as the single-model path does", () => {
    assert.throws(
      () =>
        renderStackedParams({
          container,
          config: undefined,
          instanceShape: "VM.GPU.A10.2",
          userParams: { "--seed": "7" },
          servedName: "base",
        }),
      (error: unknown) => error instanceof ValidationError && /--seed/.test(error.message),
    );
  });

  it("takes the deployment config's env for the exact shape under VLLM_PARAMS, as ADS's single-model path reads it", () => {
    const config = {
      configuration: {
        "VM.GPU.A10.2": { env: { VLLM_PARAMS: { VLLM_ATTENTION_BACKEND: "FLASHINFER" }, VLLM: { IGNORED: "1" } } },
      },
    } as unknown as DeploymentConfig;
    assert.deepEqual(stackedConfigEnvironment(config, "VM.GPU.A10.2", "odsc-vllm-serving"), {
      VLLM_ATTENTION_BACKEND: "FLASHINFER",
    });
    assert.deepEqual(stackedConfigEnvironment(config, "vm.gpu.a10.2", "odsc-vllm-serving"), {});
    const environment = renderStackedEnvironment({
      configEnvironment: { VLLM_ATTENTION_BACKEND: "FLASHINFER", LOG_LEVEL: "info" },
      userEnvironment: { LOG_LEVEL: "debug" },
      artifactLocation: "oci://bucket@ns/models/base/",
      baseModelId: "ocid1.datasciencemodel.oc1.iad.base",
      params: "--served-model-name base --enable_lora",
      container,
      telemetryNamespace: "ns",
      compartmentId: "ocid1.compartment.oc1..c",
    });
    assert.equal(environment["VLLM_ATTENTION_BACKEND"], "FLASHINFER");
    assert.equal(environment["LOG_LEVEL"], "debug", "the user's value wins over the config's");
    assert.equal(environment["BASE_MODEL"], "models/base", "an oci:// artifact location becomes its object path");
  });

  it("writes custom metadata back as ADS does after reading it (Python str of the JSON value)", () => {
    assert.equal(roundTripMetadataValue("true"), "True");
    assert.equal(roundTripMetadataValue("service_models/x"), "service_models/x");
    assert.equal(roundTripMetadataValue('"quoted"'), "quoted");
    assert.equal(roundTripMetadataValue("42"), "42");
    assert.equal(roundTripMetadataValue('{"a":1}'), '{"a": 1}');
  });
});
