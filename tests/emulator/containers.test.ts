import { strict as assert } from "node:assert";
import * as datascience from "oci-datascience";
import {
  captureError,
  createActiveGroup,
  describeGroup,
  FAST_RETRIES,
  makeTempDir,
  startTestCloud,
  type TestCloud,
} from "./harness";

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const MISTRAL_LORA = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bsqllora";

describe("emulator: container catalog and the seeded fine-tuned model", () => {
  let cloud: TestCloud;

  before(async () => {
    cloud = await startTestCloud();
  });

  after(() => cloud.stop());

  it("serves ADS 2.13's container index in the service bucket, the same catalog as ListContainers", async () => {
    const { namespace } = cloud.emulator;
    const object = await cloud.objectStorage.getObject({
      namespaceName: namespace,
      bucketName: "service-managed-models",
      objectName: "service_models/config/container_index.json",
    });
    const index = JSON.parse(await new Response(object.value as ReadableStream).text()) as Record<string, unknown>;
    const listed = (await cloud.dataScience.listContainers({ containerName: "odsc-vllm-serving" })).items;
    const vllm = index["odsc-vllm-serving"] as Array<{ name: string; version: string; type: string; usages: string[] }>;
    assert.deepEqual(
      vllm.map((image) => `${image.name}:${image.version}`).sort(),
      listed.map((item) => `dsmc://${item.containerName}:${item.tag}`).sort(),
      "every vLLM image ListContainers lists, by the dsmc:// name ADS 2.13 matches container_image_uri against",
    );
    assert.ok(
      vllm.some((image) => image.version === "0.6.4.post1.2"),
      "the seed's image is in the index",
    );
    assert.ok(
      vllm.some((image) => image.type === "inference" && image.usages.includes("multi_model")),
      "ADS 2.13 deploys several models only with a family that lists multi_model",
    );
    const spec = (index["containerSpec"] as Record<string, Record<string, unknown>>)["odsc-vllm-serving"];
    const latest = listed.find((item) => item.isLatest);
    const workload = latest?.workloadConfigurationDetailsList?.[0] as { cmd?: string } | undefined;
    assert.equal(spec?.["cliParam"], workload?.cmd);
    assert.deepEqual(spec?.["restrictedParams"], ["--port", "--host", "--served-model-name", "--seed"]);
    assert.ok(
      ((spec?.["envVars"] ?? []) as Array<Record<string, string>>).some(
        (entry) => entry["MODEL_DEPLOY_PREDICT_ENDPOINT"] === "/v1/completions",
      ),
    );
    const evaluate = index["odsc-llm-evaluate"] as Array<{ type: string }>;
    assert.equal(evaluate[0]?.type, "evaluate");
  });

  it("lists the latest vLLM container with its multi-model usage, default cmd, ports and environment", async () => {
    const listed = await cloud.dataScience.listContainers({ containerName: "odsc-vllm-serving", isLatest: true });
    assert.equal(listed.items.length, 1);
    const [vllm] = listed.items;
    assert.equal(vllm?.familyName, "odsc-vllm-serving");
    assert.ok(vllm?.usages?.includes(datascience.models.ContainerSummary.Usages.Inference));
    assert.ok((vllm?.usages as string[] | undefined)?.includes("MULTI_MODEL"), "the SDK passes MULTI_MODEL through");
    const workload = vllm
      ?.workloadConfigurationDetailsList?.[0] as datascience.models.ModelDeployWorkloadConfigurationDetails;
    assert.equal(workload.workloadType, "MODEL_DEPLOYMENT");
    assert.equal(workload.cmd, "--served-model-name odsc-llm --disable-custom-all-reduce --seed 42");
    assert.deepEqual([workload.serverPort, workload.healthCheckPort], [8080, 8080]);
    assert.deepEqual(
      [
        workload.additionalConfigurations?.MODEL_DEPLOY_PREDICT_ENDPOINT,
        workload.additionalConfigurations?.MODEL_DEPLOY_ENABLE_STREAMING,
        workload.additionalConfigurations?.PORT,
        workload.additionalConfigurations?.HEALTH_CHECK_PORT,
      ],
      ["/v1/completions", "true", "8080", "8080"],
    );
  });

  it("filters by usage, target workload, latest flag, tag and state, and pages", async () => {
    const names = async (request: datascience.requests.ListContainersRequest) =>
      (await cloud.dataScience.listContainers(request)).items.map((item) => `${item.containerName}:${item.tag}`);
    assert.deepEqual(await names({ usageQueryParam: datascience.models.ContainerUsage.Evaluation }), [
      "odsc-llm-evaluate:0.1.3.4",
    ]);
    assert.deepEqual(
      await names({ targetWorkload: datascience.models.ContainerTargetWorkload.ModelDeployment, isLatest: true }),
      ["odsc-vllm-serving:0.9.1.post1.1", "odsc-tgi-serving:2.0.1.4"],
    );
    assert.deepEqual(await names({ containerName: "odsc-vllm-serving", isLatest: false }), [
      "odsc-vllm-serving:0.6.4.post1.2",
    ]);
    assert.deepEqual(await names({ tagQueryParam: "2.0.1.4" }), ["odsc-tgi-serving:2.0.1.4"]);
    assert.deepEqual(await names({ lifecycleState: datascience.models.ContainerVersionLifecycleState.Inactive }), []);
    const page = await cloud.dataScience.listContainers({ limit: 2 });
    assert.equal(page.items.length, 2);
    const rest = await cloud.dataScience.listContainers({ limit: 100, page: page.opcNextPage ?? "" });
    assert.equal(page.items.length + rest.items.length, 5);
    const evaluation = (await cloud.dataScience.listContainers({ containerName: "odsc-llm-evaluate" })).items[0];
    const jobRun = evaluation
      ?.workloadConfigurationDetailsList?.[0] as datascience.models.JobRunWorkloadConfigurationDetails;
    assert.ok(JSON.parse(String(jobRun.useCaseConfiguration?.additionalConfigurations?.metrics)).length > 0);
  });

  it("seeds a v2 LoRA fine-tuned model of Mistral in the user compartment whose artifact lists objects that exist", async () => {
    const { model } = await cloud.dataScience.getModel({ modelId: MISTRAL_LORA });
    assert.deepEqual(
      [model.lifecycleState, model.compartmentId, model.isModelByReference],
      ["ACTIVE", cloud.emulator.compartmentId, true],
    );
    assert.equal(model.freeformTags?.aqua_fine_tuned_model, `${MISTRAL}#mistralai/Mistral-7B-v0.1`);
    assert.ok("OCI_AQUA" in (model.freeformTags ?? {}));
    const metadata = Object.fromEntries((model.customMetadataList ?? []).map((item) => [item.key, item.value]));
    assert.equal(metadata.fine_tune_source, MISTRAL);
    assert.equal(metadata.fine_tune_source_name, "mistralai/Mistral-7B-v0.1");
    assert.equal(metadata.fine_tune_model_version, "v2");
    assert.equal(metadata["deployment-container"], "odsc-vllm-serving");
    const location = /^oci:\/\/([^@]+)@([^/]+)\/(.+)$/.exec(String(metadata.artifact_location));
    assert.ok(location, "artifact_location is an oci:// path");

    const artifact = await cloud.dataScience.getModelArtifactContent({ modelId: MISTRAL_LORA });
    const description = JSON.parse(await new Response(artifact.value as ReadableStream).text()) as {
      type: string;
      models: Array<{
        namespace: string;
        bucketName: string;
        prefix: string;
        objects: Array<{ name: string; version: string; sizeInBytes: number }>;
      }>;
    };
    assert.equal(description.type, "modelOSSReferenceDescription");
    const [reference] = description.models;
    assert.ok(reference && reference.objects.length > 0);
    assert.deepEqual(
      [reference.bucketName, reference.namespace, reference.prefix],
      [location[1], location[2], location[3]],
    );
    for (const listed of reference.objects) {
      const head = await cloud.objectStorage.headObject({
        namespaceName: reference.namespace,
        bucketName: reference.bucketName,
        objectName: listed.name,
      });
      assert.equal(head.contentLength, listed.sizeInBytes);
    }
  });

  it("keeps model groups and the fine-tuned seed across a restart, without seeding it twice", async () => {
    const dataDir = makeTempDir("groups-restart");
    const first = await startTestCloud({ dataDir });
    const group = await createActiveGroup(
      first,
      describeGroup(first, [MISTRAL, MISTRAL_LORA], { displayName: "kept-group" }),
    );
    await first.stop();
    const second = await startTestCloud({ dataDir }, FAST_RETRIES);
    try {
      const again = await second.dataScience.getModelGroup({ modelGroupId: group.id });
      assert.deepEqual([again.modelGroup.lifecycleState, again.modelGroup.displayName], ["ACTIVE", "kept-group"]);
      const inventory = await second.emulator.inventory();
      assert.deepEqual(
        inventory.modelGroups.map((item) => item.id),
        [group.id],
      );
      assert.equal(inventory.models.filter((item) => item.id === MISTRAL_LORA).length, 1);
      const missing = await captureError(() =>
        second.dataScience.getModelGroup({ modelGroupId: "ocid1.datasciencemodelgroup.oc1.iad.nosuch" }),
      );
      assert.equal(missing.statusCode, 404);
    } finally {
      await second.stop();
    }
  });
});
