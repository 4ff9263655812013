// The aggregate-model form (ADS 2.13, the seed's): one catalog model by reference to every member's weights, its
// members in the `multi_model_metadata` artifact, and MULTI_MODEL_CONFIG in the deployment's environment.

import { ValidationError, type ValidationIssue } from "../core/errors";
import {
  DEPLOYMENT_TAG_KEYS,
  renderEnvironmentVariables,
  renderMultiModelConfig,
  type ModelToRender,
} from "../core/render-multi-model-config";
import {
  changeModelCompartment,
  createAggregateModel,
  deleteCatalogModel,
  type MemberModelRecord,
  readAggregateMembers,
  readArtifactReference,
} from "../oci/aggregate-models";
import type { HookContext } from "./hook-context";
import type { ModelStore, RenderedStore, RenderRequest } from "./model-store";

/** OCI's documented cap on a deployment's environment (keys and values together). */
const MAX_ENVIRONMENT_BYTES = 2048;
/** The tasks ADS 2.13 takes into a multi-model deployment. */
const SUPPORTED_TASKS = new Set([
  "text_generation",
  "text-generation",
  "image_text_to_text",
  "code_synthesis",
  "text2text_generation",
]);

/** What the aggregate form carries from render to create beyond the models. */
interface AggregateContent {
  catalogNames: string[];
}

function render(
  _context: HookContext,
  request: RenderRequest,
): Promise<{ rendered?: RenderedStore; issues: ValidationIssue[] }> {
  const { args, models, catalog, configs, instanceShape } = request;
  let multiModelConfig: string;
  try {
    multiModelConfig = renderMultiModelConfig(models as ModelToRender[], instanceShape, configs);
  } catch (error) {
    if (error instanceof ValidationError) return Promise.resolve({ issues: [...error.issues] });
    throw error;
  }
  const environmentVariables = renderEnvironmentVariables({
    userEnvironment: args.environmentVariables,
    multiModelConfig,
    webConcurrency: args.webConcurrency,
  });
  const environmentBytes = Object.entries(environmentVariables).reduce(
    (total, [key, value]) => total + Buffer.byteLength(key) + Buffer.byteLength(value),
    0,
  );
  if (environmentBytes > MAX_ENVIRONMENT_BYTES) {
    return Promise.resolve({
      issues: [
        {
          path: "environmentVariables",
          message: `The deployment's environment would be ${environmentBytes} bytes (MULTI_MODEL_CONFIG included); OCI accepts at most ${MAX_ENVIRONMENT_BYTES}. Deploy fewer models, shorten params and environment values, or use modelStore "modelGroup" (MULTI_MODEL_CONFIG then lives in the group's metadata).`,
        },
      ],
    });
  }
  const container = catalog[0]?.container ?? "odsc-vllm-serving";
  // ADS names the members in the model's description by their catalog display names, whatever they are served as.
  const catalogNames = models.map(
    (model) => catalog.find((entry) => entry.modelId === model.modelId)?.displayName ?? model.modelName,
  );
  const content: AggregateContent = { catalogNames };
  return Promise.resolve({
    rendered: { models, container, multiModelConfig, environmentVariables, content, warnings: [] },
    issues: [],
  });
}

async function create(
  context: HookContext,
  rendered: RenderedStore,
  request: Pick<RenderRequest, "args" | "compartmentId" | "projectId">,
  retryToken: string,
): Promise<string> {
  const { dataScience, objectStorage } = await context.clients();
  const serviceBucket = await context.catalogLocation();
  const artifactReferences = await Promise.all(
    rendered.models.map((model) =>
      readArtifactReference(objectStorage, model.modelName, model.artifactLocation, serviceBucket),
    ),
  );
  // ADS records DataScienceModel.artifact: the oci:// URI of the weights' prefix as the model description lists it.
  const members: MemberModelRecord[] = rendered.models.map((model, index) => {
    const reference = artifactReferences[index];
    return {
      model_id: model.modelId,
      model_name: model.modelName,
      gpu_count: model.gpuCount,
      env_var: model.params,
      artifact_location: reference
        ? `oci://${reference.bucketName}@${reference.namespace}/${reference.prefix}`
        : model.artifactLocation,
    };
  });
  const catalogNames =
    (rendered.content as AggregateContent | undefined)?.catalogNames ?? rendered.models.map((model) => model.modelName);
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  return createAggregateModel(
    dataScience,
    {
      compartmentId: request.compartmentId,
      projectId: request.projectId,
      displayName: `model_group_${date}`,
      description: `Multi-model grouping using ${catalogNames.join(", ")}.`,
      container: rendered.container,
      members,
      artifactReferences,
      freeformTags: { [DEPLOYMENT_TAG_KEYS.multiModel]: "true", ...(request.args.freeformTags ?? {}) },
      definedTags: request.args.definedTags,
    },
    retryToken,
  );
}

export const aggregateModelStore: ModelStore = {
  name: "aggregateModel",
  supportedTasks: SUPPORTED_TASKS,
  render,
  create,
  remove: async (context, id) => deleteCatalogModel((await context.clients()).dataScience, id),
  move: async (context, id, compartmentId) =>
    changeModelCompartment((await context.clients()).dataScience, id, compartmentId),
  readMembers: async (context, id) => {
    const members = await readAggregateMembers((await context.clients()).dataScience, id);
    if (!members?.length) return undefined;
    return {
      models: members.map((member) => ({
        modelId: member.model_id,
        modelName: member.model_name,
        gpuCount: member.gpu_count,
        params: member.env_var ?? {},
        artifactLocation: member.artifact_location,
      })),
    };
  },
  pointer: (id) => ({ modelId: id }),
};
