import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  readServedModelNames,
  renderDeploymentTags,
  renderEnvironmentVariables,
  renderModelParams,
  renderModelPath,
  renderMultiModelConfig,
  type ModelToRender,
} from "../../provider/core/render-multi-model-config";
import { ValidationError } from "../../provider/core/errors";
import type { DeploymentConfig } from "../../provider/core/types";

const fixturesDir = path.join(__dirname, "..", "..", "..", "tests", "fixtures", "render");
const seed = JSON.parse(fs.readFileSync(path.join(fixturesDir, "seed-a10.json"), "utf8")) as {
  instanceShape: string;
  models: ModelToRender[];
  deploymentConfigs: Record<string, DeploymentConfig>;
  expectedMultiModelConfig: string;
};

describe("renderMultiModelConfig", () => {
  it("renders the seed's two-model VM.GPU.A10.2 example byte for byte", () => {
    assert.equal(
      renderMultiModelConfig(seed.models, seed.instanceShape, seed.deploymentConfigs),
      seed.expectedMultiModelConfig,
    );
  });

  it("reads back the served names it rendered, in order", () => {
    const rendered = renderMultiModelConfig(seed.models, seed.instanceShape, seed.deploymentConfigs);
    assert.deepEqual(readServedModelNames(rendered), ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
  });

  it("matches the instance shape case-insensitively (OCI spells A100-v2, configs say A100-V2)", () => {
    const config: DeploymentConfig = {
      configuration: {
        "BM.GPU.A100-V2.8": {
          multi_model_deployment: [{ gpu_count: 2, parameters: { VLLM_PARAMS: "--max-model-len 8192" } }],
        },
      },
    };
    const model = { modelId: "m", modelName: "m", gpuCount: 2, artifactLocation: "p" };
    assert.equal(
      renderModelParams(model, "BM.GPU.A100-v2.8", config),
      "--served-model-name m --seed 42 --tensor-parallel-size 2 --max-model-len 8192",
    );
  });

  it("falls back to the shape's parameters when no entry has the model's gpu count", () => {
    const config: DeploymentConfig = {
      configuration: {
        "VM.GPU.A10.2": {
          parameters: { VLLM_PARAMS: "--max-model-len 8192" },
          multi_model_deployment: [{ gpu_count: 1, parameters: { VLLM_PARAMS: "--max-model-len 4096" } }],
        },
      },
    };
    const model = { modelId: "m", modelName: "m", gpuCount: 2, artifactLocation: "p" };
    assert.equal(
      renderModelParams(model, "VM.GPU.A10.2", config),
      "--served-model-name m --seed 42 --tensor-parallel-size 2 --max-model-len 8192",
    );
  });

  it("lets user params override config params flag by flag, keeping the config's order", () => {
    const config: DeploymentConfig = {
      configuration: {
        "VM.GPU.A10.2": {
          multi_model_deployment: [
            { gpu_count: 1, parameters: { VLLM_PARAMS: "--max-model-len 4096 --trust-remote-code" } },
          ],
        },
      },
    };
    const model = {
      modelId: "m",
      modelName: "m",
      gpuCount: 1,
      artifactLocation: "p",
      params: { "--max-model-len": "2048", "--enforce-eager": "" },
    };
    assert.equal(
      renderModelParams(model, "VM.GPU.A10.2", config),
      "--served-model-name m --seed 42 --tensor-parallel-size 1 --max-model-len 2048 --trust-remote-code --enforce-eager",
    );
  });

  it("appends user params as given when the model has no config for the shape", () => {
    const model = {
      modelId: "m",
      modelName: "m",
      gpuCount: 1,
      artifactLocation: "p",
      params: { "--max-model-len": "2048" },
    };
    assert.equal(
      renderModelParams(model, "VM.GPU.A10.2", undefined),
      "--served-model-name m --seed 42 --tensor-parallel-size 1 --max-model-len 2048",
    );
  });

  it("refuses params the container sets itself, naming them and the model", () => {
    const model = {
      modelId: "m",
      modelName: "llama",
      gpuCount: 1,
      artifactLocation: "p",
      params: { "--seed": "7", "--port": "9" },
    };
    assert.throws(
      () => renderModelParams(model, "VM.GPU.A10.2", undefined),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.match(error.message, /--seed, --port are set by AI Quick Actions/);
        assert.match(error.message, /model llama/);
        return true;
      },
    );
  });

  // Served names and flags that would add a flag are refused (tests/unit/vllm-flag-injection.test.ts); a path is free
  // text and must stay inside its JSON string.
  it("keeps hostile artifact paths inside valid JSON", () => {
    const model = { modelId: "m", modelName: "m", gpuCount: 1, artifactLocation: 'a"b\\c\n--x' };
    const rendered = renderMultiModelConfig([model], "VM.GPU.A10.2", {});
    const parsed = JSON.parse(rendered) as { models: Array<{ params: string; model_path: string }> };
    assert.equal(parsed.models.length, 1);
    assert.equal(parsed.models[0]?.model_path, 'a"b\\c\n--x');
  });
});

describe("renderModelPath", () => {
  it("strips an object storage prefix and trailing slashes, as ADS does", () => {
    assert.equal(renderModelPath("oci://bucket@ns/service_models/x/artifact/"), "service_models/x/artifact");
    assert.equal(renderModelPath("service_models/x/artifact//"), "service_models/x/artifact");
  });
});

describe("renderEnvironmentVariables", () => {
  it("adds the container defaults only where the user has not set the key", () => {
    const environment = renderEnvironmentVariables({
      userEnvironment: { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions" },
      multiModelConfig: "{}",
      webConcurrency: 4,
    });
    assert.deepEqual(environment, {
      HEALTH_CHECK_PORT: "8080",
      MODEL_DEPLOY_ENABLE_STREAMING: "true",
      MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions",
      MULTI_MODEL_CONFIG: "{}",
      PORT: "8080",
      WEB_CONCURRENCY: "4",
    });
  });
});

describe("renderDeploymentTags", () => {
  it("puts ADS's three tags first and lets the user's tags override them", () => {
    assert.deepEqual(renderDeploymentTags("ocid1.datasciencemodel.oc1.iad.x", { team: "ml", OCI_AQUA: "custom" }), {
      OCI_AQUA: "custom",
      aqua_model_id: "ocid1.datasciencemodel.oc1.iad.x",
      aqua_multimodel: "true",
      team: "ml",
    });
  });
});
