// Will a model run on its share of a shape? Two checks no peer makes before apply, from the weights' config.json:
// vLLM's tensor-parallel rule (the TP size, our GPU count, must divide the attention heads) and a memory estimate
// (weights by dtype plus KV cache at the served --max-model-len) against the GPUs' memory. The estimate follows the
// formulas of ADS's shape recommender (ads/aqua/shaperecommend), with tensor parallelism splitting both terms.

/** The fields of a Hugging Face config.json the checks need. */
export interface ModelArchitecture {
  hiddenSize: number;
  numLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  intermediateSize: number | undefined;
  vocabSize: number;
  maxPositionEmbeddings: number | undefined;
  numExperts: number | undefined;
  /** Input and output embeddings share weights (HF `tie_word_embeddings`). */
  tiedEmbeddings: boolean;
  bytesPerParameter: number;
  dtype: string;
}

const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;

function bytesFor(config: Record<string, unknown>): { bytes: number; dtype: string } {
  const quantization = config["quantization_config"] as Record<string, unknown> | undefined;
  const bits = num(quantization?.["bits"]);
  if (bits) return { bytes: bits / 8, dtype: `${bits}-bit ${String(quantization?.["quant_method"] ?? "quantized")}` };
  const dtype = String(config["torch_dtype"] ?? config["dtype"] ?? "bfloat16").toLowerCase();
  if (dtype.includes("32")) return { bytes: 4, dtype };
  if (dtype.includes("8")) return { bytes: 1, dtype };
  return { bytes: 2, dtype };
}

/** The architecture in a config.json, or undefined when it lacks what the checks need (old and new key names). */
export function parseModelArchitecture(json: unknown): ModelArchitecture | undefined {
  if (!json || typeof json !== "object") return undefined;
  const outer = json as Record<string, unknown>;
  const config = (
    outer["text_config"] && typeof outer["text_config"] === "object"
      ? { ...outer, ...(outer["text_config"] as Record<string, unknown>) }
      : outer
  ) as Record<string, unknown>;
  const hiddenSize = num(config["hidden_size"]) ?? num(config["n_embd"]) ?? num(config["d_model"]);
  const numLayers = num(config["num_hidden_layers"]) ?? num(config["n_layer"]) ?? num(config["num_layers"]);
  const numAttentionHeads = num(config["num_attention_heads"]) ?? num(config["n_head"]);
  const vocabSize = num(config["vocab_size"]);
  if (!hiddenSize || !numLayers || !numAttentionHeads || !vocabSize) return undefined;
  const multiQuery = config["multi_query"] === true;
  const numKeyValueHeads =
    num(config["num_key_value_heads"]) ??
    num(config["num_kv_heads"]) ??
    num(config["n_head_kv"]) ??
    (multiQuery ? 1 : numAttentionHeads);
  const { bytes, dtype } = bytesFor(config);
  return {
    hiddenSize,
    numLayers,
    numAttentionHeads,
    numKeyValueHeads,
    headDim: num(config["head_dim"]) ?? hiddenSize / numAttentionHeads,
    intermediateSize: num(config["intermediate_size"]) ?? num(config["ffn_hidden_size"]),
    vocabSize,
    maxPositionEmbeddings: num(config["max_position_embeddings"]) ?? num(config["max_sequence_length"]),
    numExperts: num(config["num_local_experts"]) ?? num(config["num_experts"]),
    tiedEmbeddings: config["tie_word_embeddings"] === true,
    bytesPerParameter: bytes,
    dtype,
  };
}

/** vLLM asserts heads % tp == 0, and for KV heads: kv % tp == 0 when kv >= tp, else tp % kv == 0. */
export function checkTensorParallel(
  arch: ModelArchitecture,
  gpuCount: number,
): { ok: true } | { ok: false; message: string; validGpuCounts: number[] } {
  const fits = (tp: number) =>
    arch.numAttentionHeads % tp === 0 &&
    (arch.numKeyValueHeads >= tp ? arch.numKeyValueHeads % tp === 0 : tp % arch.numKeyValueHeads === 0);
  if (fits(gpuCount)) return { ok: true };
  const validGpuCounts = [1, 2, 4, 8].filter(fits);
  return {
    ok: false,
    validGpuCounts,
    message:
      `vLLM splits attention heads across GPUs (tensor parallel size = gpuCount = ${gpuCount}), and this model has ` +
      `${arch.numAttentionHeads} attention heads and ${arch.numKeyValueHeads} key-value heads, which ${gpuCount} does not divide; ` +
      `valid GPU counts: ${validGpuCounts.join(", ")}.`,
  };
}

export interface MemoryEstimate {
  parameters: number;
  weightsGb: number;
  kvCacheGb: number;
  totalGb: number;
  perGpuGb: number;
  assumptions: string[];
}

/** Weights plus KV cache for one sequence of `maxModelLen` tokens, split over `gpuCount` GPUs. */
export function estimateModelMemory(
  arch: ModelArchitecture,
  options: { maxModelLen: number; gpuCount: number; batchSize?: number },
): MemoryEstimate {
  const h = arch.hiddenSize;
  const kvWidth = arch.numKeyValueHeads * arch.headDim;
  const attention = 2 * h * h + 2 * h * kvWidth;
  const mlp = arch.intermediateSize ? 3 * h * arch.intermediateSize * (arch.numExperts ?? 1) : 8 * h * h;
  const embeddings = (arch.tiedEmbeddings ? 1 : 2) * arch.vocabSize * h;
  const parameters = arch.numLayers * (attention + mlp) + embeddings;
  const batch = options.batchSize ?? 1;
  const weightsGb = (parameters * arch.bytesPerParameter) / 1e9;
  const kvBytesPerValue = Math.max(arch.bytesPerParameter, 2); // quantized weights still cache keys and values in 16 bits
  const kvCacheGb = (2 * arch.numLayers * kvWidth * options.maxModelLen * batch * kvBytesPerValue) / 1e9;
  const totalGb = weightsGb + kvCacheGb;
  return {
    parameters,
    weightsGb,
    kvCacheGb,
    totalGb,
    perGpuGb: totalGb / options.gpuCount,
    assumptions: [
      `${arch.dtype} weights (${arch.bytesPerParameter} bytes per parameter)`,
      `batch ${batch} at --max-model-len ${options.maxModelLen}`,
      `${arch.intermediateSize ? "gated MLP" : "4x MLP"}${arch.numExperts ? ` with ${arch.numExperts} experts` : ""}, ${arch.numKeyValueHeads} KV heads`,
      "vLLM uses 90% of GPU memory (--gpu-memory-utilization 0.9)",
    ],
  };
}

/** Compares the estimate with the shape's per-GPU memory; the message is a preview warning. */
export function checkMemoryFit(
  estimate: MemoryEstimate,
  modelName: string,
  shapeName: string,
  gpuMemoryPerGpuGb: number,
  gpuCount: number,
): { fits: boolean; message: string } {
  const usable = 0.9 * gpuMemoryPerGpuGb;
  const fits = estimate.perGpuGb <= usable;
  const round = (value: number) => value.toFixed(1);
  return {
    fits,
    message:
      `Model ${modelName} needs about ${round(estimate.weightsGb)} GB of weights + ${round(estimate.kvCacheGb)} GB of KV cache = ` +
      `${round(estimate.perGpuGb)} GB per GPU on ${gpuCount} GPU(s); ${shapeName} has ${round(gpuMemoryPerGpuGb)} GB per GPU ` +
      `(90% usable = ${round(usable)} GB). Assumed: ${estimate.assumptions.join("; ")}.`,
  };
}

/** `--max-model-len N` from a rendered params string. */
export function maxModelLenFromParams(params: string): number | undefined {
  const match = /(?:^|\s)--max-model-len\s+(\d+)/.exec(params);
  return match?.[1] ? Number(match[1]) : undefined;
}
