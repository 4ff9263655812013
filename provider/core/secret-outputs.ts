// Which outputs carry an input's values verbatim. The engine marks an output secret only when the input of the same
// name held a secret, so a secret vLLM flag in `models` would otherwise reach state in plain text inside
// MULTI_MODEL_CONFIG.

/** By resource kind: an input's name -> the outputs that carry its values. */
export const OUTPUTS_CARRYING_INPUTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  MultiModelDeployment: {
    models: ["models", "multiModelConfig", "environmentVariables", "__modelInputs"],
  },
  ModelEvaluation: {},
};

/** The outputs to keep secret when `secretInputs` held secrets: each input itself, and what carries it. */
export function expandSecretOutputs(kind: string, secretInputs: Iterable<string>): Set<string> {
  const carrying = OUTPUTS_CARRYING_INPUTS[kind] ?? {};
  const outputs = new Set<string>();
  for (const input of secretInputs) {
    outputs.add(input);
    for (const output of carrying[input] ?? []) outputs.add(output);
  }
  return outputs;
}
