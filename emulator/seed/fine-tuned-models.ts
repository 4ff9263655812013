// The emulator's seeded fine-tuned (LoRA) models: plain data, as ADS's fine-tuning leaves them in the user's
// compartment (a v2 fine-tuned model: its artifact holds only the adapter, by reference, and its tags and custom
// metadata point back at the base service model). The OCIDs are stable: examples and docs use them.

export interface FineTunedModelSeed {
  ocid: string;
  displayName: string;
  description: string;
  /** The base service model (one of seed/service-models.ts). */
  baseModelId: string;
  baseModelName: string;
  /** Where the fine-tuning job wrote the adapter, in the user's bucket. */
  bucket: string;
  outputPrefix: string;
  /** The adapter files under the prefix, name to content. */
  files: Record<string, string>;
}

export const FINE_TUNED_MODELS: FineTunedModelSeed[] = [
  {
    ocid: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bsqllora",
    displayName: "Mistral-7B-v0.1-sql-lora",
    description: "LoRA adapter of mistralai/Mistral-7B-v0.1 fine-tuned for SQL generation (emulated).",
    baseModelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01",
    baseModelName: "mistralai/Mistral-7B-v0.1",
    bucket: "aqua-fine-tuned-models",
    outputPrefix: "fine_tune_output/Mistral-7B-v0.1-sql-lora",
    files: {
      "adapter_config.json": JSON.stringify(
        {
          base_model_name_or_path: "mistralai/Mistral-7B-v0.1",
          peft_type: "LORA",
          r: 16,
          lora_alpha: 32,
          lora_dropout: 0.05,
          target_modules: ["q_proj", "v_proj"],
          task_type: "CAUSAL_LM",
        },
        null,
        2,
      ),
      "adapter_model.safetensors": "emulated LoRA weights",
    },
  },
];
