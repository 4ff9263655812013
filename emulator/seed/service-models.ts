// The emulator's seeded AI Quick Actions service models: plain data, the way OCI's service catalog holds them
// (display name = Hugging Face id, which ADS uses as the served model name; artifact under the service bucket;
// deployment_config.json beside it). The OCIDs are stable: examples and docs use them.
//
// Designed around the seed document's two examples, which cannot both come from one pair of models:
// - its get_multimodel_deployment_config output: Mistral is exactly its <ocid1>, and Llama-3.1-8B exactly its <ocid2>;
// - its create output renders falcon-7b with `--trust-remote-code` on VM.GPU.A10.2, so falcon's A10.2 entry for one
//   GPU carries that flag (the doc's <ocid2> config would render `--max-model-len 4096` instead).
// The others exercise single-GPU-only, multi-GPU-only, MoE, a coder model, a model without a config and a model
// whose config allows only single-model deployment. config.json values are those of the public model repositories.

export interface ServiceModelSeed {
  ocid: string;
  displayName: string;
  description: string;
  /** e.g. `service_models/Mistral-7B-v0.1/78814a9/artifact`, relative to the service bucket. */
  artifactLocation: string;
  task: string;
  container: string;
  /** deployment_config.json content; absent when the model has none. */
  deploymentConfig?: object;
  /** config.json of the weights. */
  hfConfig?: object;
  freeformTags: Record<string, string>;
}

export const SERVICE_COMPARTMENT_ID = "ocid1.compartment.oc1..aquaemuservice";
export const SERVICE_BUCKET = "service-managed-models";

const NO_SHAPE_INFO = { configs: [], type: "" };
const vllm = (params: string) => (params ? { VLLM_PARAMS: params } : {});
const shapeConfig = (parameters: string, entries: Array<[number, string]>) => ({
  parameters: vllm(parameters),
  multi_model_deployment: entries.map(([gpu_count, params]) => ({ gpu_count, parameters: vllm(params) })),
  shape_info: NO_SHAPE_INFO,
});
const tags = (organization: string) => ({
  OCI_AQUA: "active",
  ready_to_deploy: "true",
  organization,
  task: "text_generation",
  license: "see model card",
});
const model = (
  key: string,
  seed: Omit<ServiceModelSeed, "ocid" | "task" | "container" | "freeformTags">,
  organization: string,
): ServiceModelSeed => ({
  ocid: `ocid1.datasciencemodel.oc1.iad.amaaaaaa${key}`,
  task: "text_generation",
  container: "odsc-vllm-serving",
  freeformTags: tags(organization),
  ...seed,
});

export const SERVICE_MODELS: ServiceModelSeed[] = [
  model(
    "mistral7bv01",
    {
      displayName: "mistralai/Mistral-7B-v0.1",
      description: "Mistral 7B base model.",
      artifactLocation: "service_models/Mistral-7B-v0.1/78814a9/artifact",
      deploymentConfig: {
        shape: ["VM.GPU.A10.1", "VM.GPU.A10.2"],
        configuration: {
          "VM.GPU.A10.1": shapeConfig("--max-model-len 4096", []),
          "VM.GPU.A10.2": shapeConfig("", [[1, "--max-model-len 4096"]]),
        },
      },
      hfConfig: {
        architectures: ["MistralForCausalLM"],
        model_type: "mistral",
        torch_dtype: "bfloat16",
        hidden_size: 4096,
        intermediate_size: 14336,
        num_attention_heads: 32,
        num_key_value_heads: 8,
        num_hidden_layers: 32,
        max_position_embeddings: 32768,
        vocab_size: 32000,
        tie_word_embeddings: false,
      },
    },
    "mistralai",
  ),
  model(
    "falcon7b",
    {
      displayName: "tiiuae/falcon-7b",
      description: "Falcon 7B base model.",
      artifactLocation: "service_models/falcon-7b/f779652/artifact",
      deploymentConfig: {
        shape: ["VM.GPU.A10.1", "VM.GPU.A10.2"],
        configuration: {
          "VM.GPU.A10.1": shapeConfig("--trust-remote-code --max-model-len 2048", []),
          "VM.GPU.A10.2": shapeConfig("", [[1, "--trust-remote-code"]]),
        },
      },
      // 71 attention heads, one key-value head (multi-query): only a tensor-parallel size of 1 divides them.
      hfConfig: {
        architectures: ["FalconForCausalLM"],
        model_type: "falcon",
        torch_dtype: "bfloat16",
        hidden_size: 4544,
        num_attention_heads: 71,
        num_hidden_layers: 32,
        multi_query: true,
        vocab_size: 65024,
        tie_word_embeddings: true,
      },
    },
    "tiiuae",
  ),
  model(
    "llama318b",
    {
      displayName: "meta-llama/Meta-Llama-3.1-8B-Instruct",
      description: "Llama 3.1 8B instruct.",
      artifactLocation: "service_models/Meta-Llama-3.1-8B-Instruct/0e9e39f/artifact",
      deploymentConfig: {
        shape: ["VM.GPU.A10.1", "VM.GPU.A10.2", "BM.GPU.A10.4"],
        configuration: {
          "VM.GPU.A10.1": shapeConfig("--max-model-len 4096", []),
          "VM.GPU.A10.2": shapeConfig("--max-model-len 8192", [[1, "--max-model-len 4096"]]),
          "BM.GPU.A10.4": shapeConfig("", [
            [1, "--max-model-len 4096"],
            [2, "--max-model-len 8192"],
          ]),
        },
      },
      hfConfig: {
        architectures: ["LlamaForCausalLM"],
        model_type: "llama",
        torch_dtype: "bfloat16",
        hidden_size: 4096,
        intermediate_size: 14336,
        num_attention_heads: 32,
        num_key_value_heads: 8,
        num_hidden_layers: 32,
        max_position_embeddings: 131072,
        vocab_size: 128256,
        tie_word_embeddings: false,
      },
    },
    "meta-llama",
  ),
  model(
    "llama3370b",
    {
      displayName: "meta-llama/Llama-3.3-70B-Instruct",
      description: "Llama 3.3 70B instruct: multi-GPU only.",
      artifactLocation: "service_models/Llama-3.3-70B-Instruct/6f6073b/artifact",
      deploymentConfig: {
        shape: ["BM.GPU.H100.8", "BM.GPU.A100-v2.8", "BM.GPU.H200.8"],
        configuration: Object.fromEntries(
          ["BM.GPU.H100.8", "BM.GPU.A100-v2.8", "BM.GPU.H200.8"].map((shape) => [
            shape,
            shapeConfig("--max-model-len 65536", [
              [4, "--max-model-len 32768"],
              [8, "--max-model-len 65536"],
            ]),
          ]),
        ),
      },
      hfConfig: {
        architectures: ["LlamaForCausalLM"],
        model_type: "llama",
        torch_dtype: "bfloat16",
        hidden_size: 8192,
        intermediate_size: 28672,
        num_attention_heads: 64,
        num_key_value_heads: 8,
        num_hidden_layers: 80,
        max_position_embeddings: 131072,
        vocab_size: 128256,
        tie_word_embeddings: false,
      },
    },
    "meta-llama",
  ),
  model(
    "mixtral8x7b",
    {
      displayName: "mistralai/Mixtral-8x7B-Instruct-v0.1",
      description: "Mixtral 8x7B mixture of experts.",
      artifactLocation: "service_models/Mixtral-8x7B-Instruct-v0.1/41bd4c9/artifact",
      deploymentConfig: {
        shape: ["BM.GPU.H100.8", "BM.GPU.A100-v2.8", "BM.GPU.L40S.4"],
        configuration: Object.fromEntries(
          ["BM.GPU.H100.8", "BM.GPU.A100-v2.8", "BM.GPU.L40S.4"].map((shape) => [
            shape,
            shapeConfig("", [
              [2, "--max-model-len 16384"],
              [4, "--max-model-len 32768"],
            ]),
          ]),
        ),
      },
      hfConfig: {
        architectures: ["MixtralForCausalLM"],
        model_type: "mixtral",
        torch_dtype: "bfloat16",
        hidden_size: 4096,
        intermediate_size: 14336,
        num_attention_heads: 32,
        num_key_value_heads: 8,
        num_hidden_layers: 32,
        num_local_experts: 8,
        max_position_embeddings: 32768,
        vocab_size: 32000,
        tie_word_embeddings: false,
      },
    },
    "mistralai",
  ),
  model(
    "phi3mini4k",
    {
      displayName: "microsoft/Phi-3-mini-4k-instruct",
      description: "Phi-3 mini: single-GPU only.",
      artifactLocation: "service_models/Phi-3-mini-4k-instruct/0a67737/artifact",
      deploymentConfig: {
        shape: ["VM.GPU.A10.1", "VM.GPU.A10.2", "BM.GPU.A10.4", "BM.GPU.L40S.4", "BM.GPU.H100.8"],
        configuration: {
          "VM.GPU.A10.1": shapeConfig("--max-model-len 4096", []),
          ...Object.fromEntries(
            ["VM.GPU.A10.2", "BM.GPU.A10.4", "BM.GPU.L40S.4", "BM.GPU.H100.8"].map((shape) => [
              shape,
              shapeConfig("", [[1, "--max-model-len 4096"]]),
            ]),
          ),
        },
      },
      hfConfig: {
        architectures: ["Phi3ForCausalLM"],
        model_type: "phi3",
        torch_dtype: "bfloat16",
        hidden_size: 3072,
        intermediate_size: 8192,
        num_attention_heads: 32,
        num_key_value_heads: 32,
        num_hidden_layers: 32,
        max_position_embeddings: 4096,
        vocab_size: 32064,
        tie_word_embeddings: false,
      },
    },
    "microsoft",
  ),
  model(
    "qwencoder7b",
    {
      displayName: "Qwen/Qwen2.5-Coder-7B-Instruct",
      description: "Qwen 2.5 Coder 7B instruct.",
      artifactLocation: "service_models/Qwen2.5-Coder-7B-Instruct/c03e6d3/artifact",
      deploymentConfig: {
        shape: ["VM.GPU.A10.2", "BM.GPU.A10.4", "BM.GPU.H100.8"],
        configuration: Object.fromEntries(
          ["VM.GPU.A10.2", "BM.GPU.A10.4", "BM.GPU.H100.8"].map((shape) => [
            shape,
            shapeConfig("", [
              [1, "--max-model-len 16384"],
              [2, "--max-model-len 32768"],
            ]),
          ]),
        ),
      },
      hfConfig: {
        architectures: ["Qwen2ForCausalLM"],
        model_type: "qwen2",
        torch_dtype: "bfloat16",
        hidden_size: 3584,
        intermediate_size: 18944,
        num_attention_heads: 28,
        num_key_value_heads: 4,
        num_hidden_layers: 28,
        max_position_embeddings: 32768,
        vocab_size: 152064,
        tie_word_embeddings: false,
      },
    },
    "Qwen",
  ),
  model(
    "granite318b",
    {
      displayName: "ibm-granite/granite-3.1-8b-instruct",
      description: "Granite 3.1 8B: no deployment config, so it cannot join a multi-model deployment.",
      artifactLocation: "service_models/granite-3.1-8b-instruct/3f05a5d/artifact",
    },
    "ibm-granite",
  ),
  model(
    "gemma29b",
    {
      displayName: "google/gemma-2-9b-it",
      description: "Gemma 2 9B: configured for single-model deployment only (no multi_model_deployment entries).",
      artifactLocation: "service_models/gemma-2-9b-it/11c9b30/artifact",
      deploymentConfig: {
        shape: ["VM.GPU.A10.2", "BM.GPU.A10.4"],
        configuration: { "VM.GPU.A10.2": { parameters: vllm("--max-model-len 4096"), shape_info: NO_SHAPE_INFO } },
      },
      hfConfig: {
        architectures: ["Gemma2ForCausalLM"],
        model_type: "gemma2",
        torch_dtype: "bfloat16",
        hidden_size: 3584,
        intermediate_size: 14336,
        num_attention_heads: 16,
        num_key_value_heads: 8,
        head_dim: 256,
        num_hidden_layers: 42,
        max_position_embeddings: 8192,
        vocab_size: 256000,
        tie_word_embeddings: true,
      },
    },
    "google",
  ),
];
