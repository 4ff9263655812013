// Which models a deployment serves, read the way the multi-model container reads them: MULTI_MODEL_CONFIG's
// `params` strings, each naming its model with `--served-model-name`. (The container owns this contract.)

export function servedModelNames(environment: Record<string, string>): string[] {
  const raw = environment["MULTI_MODEL_CONFIG"];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as { models?: Array<{ params?: unknown }> };
    return (parsed.models ?? [])
      .map((model) => /(?:^|\s)--served-model-name\s+(\S+)/.exec(String(model.params ?? ""))?.[1])
      .filter((name): name is string => Boolean(name));
  } catch {
    return [];
  }
}
