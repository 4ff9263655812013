// Byte parity with what oracle-ads 2.16.1 sent to OCI on the same inputs (tests/fixtures/model-group, made by
// scripts/ads-parity/model-group/replay.py, which runs ADS's own create with only the SDK's HTTP session faked).

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { ValidationError } from "../../provider/core/errors";
import {
  type GroupMemberToRender,
  parseGroupParams,
  readGroupServedNames,
  readInferenceContainer,
  renderModelGroupConfig,
  renderModelGroupEnvironment,
  renderModelGroupMetadata,
  renderModelGroupNames,
  renderModelGroupTags,
} from "../../provider/core/render-model-group";
import { renderDeploymentTags } from "../../provider/core/render-multi-model-config";
import type { DeploymentConfig } from "../../provider/core/types";
import { validateAllocation } from "../../provider/core/validate-allocation";
import { withGpuSpecs } from "../../provider/core/gpu-shapes";
import { readAdsModelGroupCases, type AdsMetadatum } from "../ads-model-group-fixture";

const fixtures = path.join(__dirname, "..", "..", "..", "tests", "fixtures", "model-group");
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8"));

interface CatalogEntry {
  model: { displayName: string; freeformTags: Record<string, string> };
  modelDescription?: { models: Array<{ namespace: string; bucketName: string; prefix: string }> };
  definedMetadataArtifacts?: { DeploymentConfiguration?: DeploymentConfig };
}
interface CaseModel {
  model_id: string;
  gpu_count: number;
  model_name?: string;
  params?: Record<string, string>;
  env_var?: Record<string, string>;
  fine_tune_weights?: Array<{ model_id: string; model_name?: string }>;
}
interface ParityCase {
  name: string;
  create: {
    compartment_id: string;
    instance_shape: string;
    models: CaseModel[];
    freeform_tags?: Record<string, string>;
    env_var?: Record<string, string>;
    web_concurrency?: number;
  };
}

const { world, cases } = read("cases.json") as {
  world: {
    catalog: Record<string, CatalogEntry>;
    containers: Array<Record<string, unknown>>;
    shapes: Array<{ name: string; coreCount: number; memoryInGBs: number; shapeSeries: string }>;
  };
  cases: ParityCase[];
};
const expected = readAdsModelGroupCases();

const entry = (modelId: string): CatalogEntry => {
  const found = world.catalog[modelId];
  if (!found) throw new Error(`no catalog entry ${modelId}`);
  return found;
};
const artifactOf = (modelId: string) => {
  const [first] = entry(modelId).modelDescription?.models ?? [];
  return first ? `oci://${first.bucketName}@${first.namespace}/${first.prefix}` : "";
};
const configs: Record<string, DeploymentConfig> = Object.fromEntries(
  Object.entries(world.catalog).map(([id, item]) => [id, item.definedMetadataArtifacts?.DeploymentConfiguration ?? {}]),
);
const vllm = world.containers[0] as {
  familyName: string;
  workloadConfigurationDetailsList: Array<{
    cmd: string;
    serverPort: number;
    healthCheckPort: number;
    additionalConfigurations: Record<string, string>;
  }>;
};
const workload = vllm.workloadConfigurationDetailsList[0];
if (!workload) throw new Error("the vLLM container has no workload");
const container = readInferenceContainer({ family: vllm.familyName, ...workload });

/** ADS's AquaMultiModelRef before-validator: env_var.PARAMS joins params (existing keys win); the rest is env. */
function splitEnvironment(model: CaseModel): { params?: Record<string, string>; environment: Record<string, string> } {
  const { PARAMS: paramsString, ...environment } = model.env_var ?? {};
  if (!paramsString) return { ...(model.params ? { params: model.params } : {}), environment };
  const parsed = Object.fromEntries(parseGroupParams(paramsString));
  return { params: { ...parsed, ...(model.params ?? {}) }, environment };
}

function membersOf(testCase: ParityCase): GroupMemberToRender[] {
  return testCase.create.models.map((model) => {
    const base = entry(model.model_id);
    return {
      modelId: model.model_id,
      modelName: model.model_name ?? base.model.displayName,
      gpuCount: model.gpu_count,
      artifactLocation: artifactOf(model.model_id),
      modelTask: (base.model.freeformTags["task"] ?? "").replace(/-/g, "_").toLowerCase(),
      ...splitEnvironment(model),
      fineTunedWeights: (model.fine_tune_weights ?? []).map((weights) => ({
        modelId: weights.model_id,
        modelName: weights.model_name ?? entry(weights.model_id).model.displayName,
        artifactLocation: artifactOf(weights.model_id),
      })),
    };
  });
}

function metadataByKey(list: readonly AdsMetadatum[]) {
  // ADS keeps the group's metadata in a set: its wire order changes with Python's hash seed, so compare by key.
  return Object.fromEntries(list.map((item) => [item.key, item]));
}

const accepted = cases.filter((testCase) => !expected[testCase.name]?.error);
const refused = cases.filter((testCase) => expected[testCase.name]?.error);

describe("model group form: parity with ADS 2.16.1", () => {
  it("compares at least the seed's pair and five other accepted combinations, and the refused ones", () => {
    assert.ok(accepted.some((testCase) => testCase.name === "seed-a10-two"));
    assert.ok(accepted.length >= 6, `only ${accepted.length} accepted cases`);
    assert.ok(refused.length >= 2);
  });

  for (const testCase of accepted) {
    it(`${testCase.name}: the group's metadata, names and tags, and the deployment's environment and tags, are ADS's`, () => {
      const ads = expected[testCase.name];
      assert.ok(ads);
      const members = membersOf(testCase);
      const multiModelConfig = renderModelGroupConfig(members, testCase.create.instance_shape, configs, container);
      const names = renderModelGroupNames(members, new Date("2026-01-15T12:00:00Z"));
      const ours = renderModelGroupMetadata({ displayName: names.displayName, container, multiModelConfig, members });
      const group = ads.createModelGroupDetails;
      assert.deepEqual(metadataByKey(ours), metadataByKey(group.modelGroupDetails.customMetadataList));
      assert.equal(names.displayName, group.displayName);
      assert.equal(names.description, group.description);
      assert.deepEqual(renderModelGroupTags(testCase.create.freeform_tags), group.freeformTags);
      const memberIds = [
        ...members.map((member) => member.modelId),
        ...members.flatMap((member) => member.fineTunedWeights.map((weights) => weights.modelId)),
      ];
      assert.deepEqual(
        memberIds.map((modelId) => ({ modelId })),
        group.memberModelEntries.memberModelDetails,
      );

      const deployment = ads.createModelDeploymentDetails;
      const environment = renderModelGroupEnvironment({
        userEnvironment: testCase.create.env_var,
        compartmentId: testCase.create.compartment_id,
        container,
        webConcurrency: testCase.create.web_concurrency,
      });
      const details = deployment.modelDeploymentConfigurationDetails;
      assert.deepEqual(environment, details.environmentConfigurationDetails.environmentVariables);
      assert.equal(
        `dsmc://${vllm.familyName}:${(world.containers[0] as { tag: string }).tag}`,
        details.environmentConfigurationDetails.image,
      );
      const groupId = details.modelGroupConfigurationDetails.modelGroupId;
      assert.deepEqual(renderDeploymentTags(groupId, testCase.create.freeform_tags), deployment.freeformTags);
      assert.deepEqual(
        readGroupServedNames(multiModelConfig),
        members.flatMap((member) => [member.modelName, ...member.fineTunedWeights.map((weights) => weights.modelName)]),
      );
    });
  }

  it("refuses a restricted flag, as ADS does (refused-restricted-seed)", () => {
    const testCase = refused.find((candidate) => candidate.name === "refused-restricted-seed");
    assert.ok(testCase);
    assert.match(String(expected[testCase.name]?.error), /Parameters \['seed'\]/);
    assert.throws(
      () => renderModelGroupConfig(membersOf(testCase), testCase.create.instance_shape, configs, container),
      (error: unknown) => error instanceof ValidationError && /--seed/.test(error.message),
    );
  });

  it("refuses a GPU count the model's config does not list, as ADS does (refused-gpu-count)", () => {
    const testCase = refused.find((candidate) => candidate.name === "refused-gpu-count");
    assert.ok(testCase);
    const shapes = world.shapes.map((shape) =>
      withGpuSpecs({
        name: shape.name,
        coreCount: shape.coreCount,
        memoryInGbs: shape.memoryInGBs,
        shapeSeries: shape.shapeSeries,
      }),
    );
    const issues = validateAllocation({
      instanceShape: testCase.create.instance_shape,
      models: membersOf(testCase).map((member) => ({
        modelId: member.modelId,
        gpuCount: member.gpuCount,
        modelName: member.modelName,
      })),
      shapes,
      deploymentConfigs: configs,
    }).filter((issue) => issue.severity !== "warning");
    assert.ok(issues.length > 0, "no refusal");
    assert.match(String(expected[testCase.name]?.error), /Valid GPU configurations are: \[1\]/);
  });

  it("refuses, in the renderer itself, a served name or an adapter name that would add flags to the command line", () => {
    const seedCase = accepted.find((candidate) => candidate.name === "lora-two-ft");
    assert.ok(seedCase);
    const members = membersOf(seedCase);
    const [first, ...rest] = members;
    assert.ok(first);
    const hostileBase = [{ ...first, modelName: "x --port 9000" }, ...rest];
    assert.throws(
      () => renderModelGroupConfig(hostileBase, seedCase.create.instance_shape, configs, container),
      ValidationError,
    );
    const hostileAdapter = [
      {
        ...first,
        fineTunedWeights: first.fineTunedWeights.map((weights) => ({ ...weights, modelName: "--host 0.0.0.0" })),
      },
      ...rest,
    ];
    assert.throws(
      () => renderModelGroupConfig(hostileAdapter, seedCase.create.instance_shape, configs, container),
      ValidationError,
    );
    assert.doesNotThrow(() => renderModelGroupConfig(members, seedCase.create.instance_shape, configs, container));
  });
});
