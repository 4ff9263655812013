// The Data Science container catalog (ListContainers) as plain data, modelled on ADS's own fixtures of a
// ListContainers answer: `tests/unitary/with_extras/aqua/utils.py` (ServiceManagedContainers.MOCK_OUTPUT) and
// `tests/unitary/with_extras/aqua/test_deployment.py` (TestDataset.INFERENCE_CONTAINER_CONFIG) in
// oracle/accelerated-data-science. The latest vLLM entry also lists MULTI_MODEL among its usages, which ADS 2.16
// looks for when it picks a multi-model container (`ads/aqua/config/container_config.py`); a previous vLLM tag,
// a TGI entry, the fine-tuning and the evaluation containers make the query filters matter.

export interface ContainerSeed {
  containerName: string;
  displayName: string;
  familyName: string;
  description: string;
  isLatest: boolean;
  targetWorkloads: string[];
  usages: string[];
  tag: string;
  lifecycleState: "ACTIVE" | "INACTIVE";
  workloadConfigurationDetailsList: object[];
  tagConfigurationList: Array<{ key: string; value: string }>;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

const VLLM_RESTRICTED_PARAMS = '["--port","--host","--served-model-name","--seed"]';
const TGI_RESTRICTED_PARAMS = '["--port","--hostname","--num-shard","--sharded","--trust-remote-code"]';

const vllm = (tag: string, isLatest: boolean, usages: string[]): ContainerSeed => ({
  containerName: "odsc-vllm-serving",
  displayName: `VLLM:${tag}`,
  familyName: "odsc-vllm-serving",
  description: "This container is used for llm inference, batch inference and serving",
  isLatest,
  targetWorkloads: ["MODEL_DEPLOYMENT", "JOB_RUN"],
  usages,
  tag,
  lifecycleState: "ACTIVE",
  workloadConfigurationDetailsList: [
    {
      workloadType: "MODEL_DEPLOYMENT",
      cmd: "--served-model-name odsc-llm --disable-custom-all-reduce --seed 42",
      serverPort: 8080,
      healthCheckPort: 8080,
      additionalConfigurations: {
        HEALTH_CHECK_PORT: "8080",
        MODEL_DEPLOY_ENABLE_STREAMING: "true",
        MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/completions",
        PORT: "8080",
        modelFormats: "SAFETENSORS",
        platforms: "NVIDIA_GPU",
        restrictedParams: VLLM_RESTRICTED_PARAMS,
      },
    },
  ],
  tagConfigurationList: [],
  freeformTags: {},
  definedTags: {},
});

const EVALUATION_METRICS = JSON.stringify(
  ["bertscore", "rouge", "bleu", "perplexity_score", "text_readability"].map((key) => ({
    task: ["text-generation"],
    key,
    name: key,
    description: `${key} metric.`,
    args: {},
    tags: [],
  })),
);
const EVALUATION_SHAPES = JSON.stringify(
  ["VM.Standard.E3.Flex", "VM.Standard.E4.Flex", "VM.Standard3.Flex", "VM.Optimized3.Flex"].map((name) => ({
    name,
    ocpu: 8,
    memory_in_gbs: 128,
    block_storage_size: 200,
    filter: { evaluation_container: ["odsc-llm-evaluate"], evaluation_target: ["datasciencemodeldeployment"] },
  })),
);

/** The seeded container catalog, latest vLLM first. */
export const CONTAINERS: ContainerSeed[] = [
  vllm("0.9.1.post1.1", true, ["INFERENCE", "BATCH_INFERENCE", "MULTI_MODEL", "OTHER"]),
  vllm("0.6.4.post1.2", false, ["INFERENCE", "BATCH_INFERENCE", "OTHER"]),
  {
    containerName: "odsc-tgi-serving",
    displayName: "TGI:2.0.1.4",
    familyName: "odsc-tgi-serving",
    description: "This container is used for llm inference with Text Generation Inference",
    isLatest: true,
    targetWorkloads: ["MODEL_DEPLOYMENT"],
    usages: ["INFERENCE"],
    tag: "2.0.1.4",
    lifecycleState: "ACTIVE",
    workloadConfigurationDetailsList: [
      {
        workloadType: "MODEL_DEPLOYMENT",
        cmd: "--sharded true --trust-remote-code",
        serverPort: 8080,
        healthCheckPort: 8080,
        additionalConfigurations: {
          HEALTH_CHECK_PORT: "8080",
          MODEL_DEPLOY_ENABLE_STREAMING: "true",
          MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/completions",
          PORT: "8080",
          modelFormats: "SAFETENSORS",
          platforms: "NVIDIA_GPU",
          restrictedParams: TGI_RESTRICTED_PARAMS,
        },
      },
    ],
    tagConfigurationList: [],
    freeformTags: {},
    definedTags: {},
  },
  {
    containerName: "odsc-llm-fine-tuning",
    displayName: "Fine-Tune:2.2.62.70",
    familyName: "odsc-llm-fine-tuning",
    description: "This container is used to fine tune llm",
    isLatest: true,
    targetWorkloads: ["JOB_RUN"],
    usages: ["FINE_TUNE"],
    tag: "2.2.62.70",
    lifecycleState: "ACTIVE",
    workloadConfigurationDetailsList: [],
    tagConfigurationList: [],
    freeformTags: {},
    definedTags: {},
  },
  {
    containerName: "odsc-llm-evaluate",
    displayName: "Evaluate:0.1.3.4",
    familyName: "odsc-llm-evaluate",
    description: "This container supports evaluation on model deployment",
    isLatest: true,
    targetWorkloads: ["JOB_RUN"],
    usages: ["EVALUATION"],
    tag: "0.1.3.4",
    lifecycleState: "ACTIVE",
    workloadConfigurationDetailsList: [
      {
        workloadType: "JOB_RUN",
        useCaseConfiguration: {
          useCaseType: "GENERIC",
          additionalConfigurations: { metrics: EVALUATION_METRICS, shapes: EVALUATION_SHAPES },
        },
      },
    ],
    tagConfigurationList: [],
    freeformTags: {},
    definedTags: {},
  },
];
