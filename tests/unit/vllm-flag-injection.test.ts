import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import { z } from "zod";
import { buildParamsString } from "../../provider/core/container-params";
import { ValidationError } from "../../provider/core/errors";
import { modelSelectionSchema } from "../../provider/core/input-schemas";
import { type ModelToRender, renderModelParams } from "../../provider/core/render-multi-model-config";

// No input may add a flag to the vLLM container's command line (it splits `params` on whitespace, and a shell-style
// split also reads quotes and backslashes). Two contracts, tested apart:
// - the renderer's: given any served name and params, it renders exactly the flags it was asked for, with each value
//   one word, or throws a ValidationError. It is exported from the package, and a served name defaulted from the
//   catalog's display name never passes the schema, so the schema cannot stand in for it.
// - the schema's: whatever it accepts, the renderer renders without refusing it, and exactly.
// The generator is built from pieces that make the failing case likely ("a --port 9000", quotes, a leading --); the
// tests count how often the guard under test refused, and prove on planted unguarded code that they would fail.

const SHAPE = "VM.GPU.A10.2";
const RUNS = 3000;

const safeWord = fc.stringMatching(/^[A-Za-z0-9._/:@-]{1,10}$/);
const injection = fc.constantFrom(
  " --port 9000",
  " --host 0.0.0.0",
  " --enable-lora",
  "\t--seed 7",
  "\n--port",
  " ",
  '"',
  "'",
  "`",
  "\\",
  "--",
  "-",
);
const hostileWord = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: safeWord },
      { weight: 1, arbitrary: injection },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) => parts.join(""));
const flagName = fc.oneof(
  fc.constantFrom(
    "--max-model-len",
    "--enable-lora",
    "--enforce-eager",
    "--port",
    "--host",
    "--seed",
    "--served-model-name",
  ),
  hostileWord.map((word) => `--${word}`),
  hostileWord,
);
const flagValue = fc.oneof(fc.constantFrom("", "8192", "-1"), hostileWord);
const selection = fc.record({
  modelName: hostileWord,
  gpuCount: fc.constantFrom(1, 2),
  params: fc.dictionary(flagName, flagValue, { maxKeys: 3 }),
});
type Selection = { modelName: string; gpuCount: number; params: Record<string, string> };

/** The words the container must see: our three flags, then the user's flags and (non-empty) values, in order. */
function expectedWords(model: Selection): string[] {
  const user = Object.entries(model.params).flatMap(([flag, value]) => (value === "" ? [flag] : [flag, value]));
  return [
    "--served-model-name",
    model.modelName,
    "--seed",
    "42",
    "--tensor-parallel-size",
    String(model.gpuCount),
    ...user,
  ];
}

/** How a rendered params string betrays an injection, or undefined when it is exactly what was asked for. */
function describeInjection(model: Selection, rendered: string): string | undefined {
  const words = rendered.split(/\s+/).filter((word) => word.length > 0);
  if (JSON.stringify(words) !== JSON.stringify(expectedWords(model))) return `rendered ${JSON.stringify(rendered)}`;
  const shellSpecial = words.find((word) => /["'`\\]/.test(word));
  return shellSpecial === undefined
    ? undefined
    : `rendered ${JSON.stringify(shellSpecial)}, which a shell-style split reads differently`;
}

type Render = (model: ModelToRender) => string;
const toRender = (model: Selection): ModelToRender => ({ modelId: "m", artifactLocation: "p", ...model });

/** Runs the renderer's contract over generated input; returns the counterexample's description and the refusals. */
function checkRenderer(render: Render): { failure: string | undefined; refused: number; rendered: number } {
  let refused = 0;
  let rendered = 0;
  const result = fc.check(
    fc.property(selection, (model) => {
      let output: string;
      try {
        output = render(toRender(model));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        refused += 1;
        return true;
      }
      rendered += 1;
      const injected = describeInjection(model, output);
      if (injected) throw new Error(`${JSON.stringify(model)} ${injected}`);
      return true;
    }),
    { numRuns: RUNS, seed: 7 },
  );
  return {
    failure: result.failed ? String(result.errorInstance ?? result.counterexample) : undefined,
    refused,
    rendered,
  };
}

/** Runs the schema's contract: every selection it accepts renders exactly. Returns the counterexample and counts. */
function checkSchema(
  schema: z.ZodType,
  render: Render,
): { failure: string | undefined; refused: number; accepted: number } {
  let refused = 0;
  let accepted = 0;
  const result = fc.check(
    fc.property(selection, (model) => {
      const modelId = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
      if (!schema.safeParse({ modelId, ...model }).success) {
        refused += 1;
        return true;
      }
      accepted += 1;
      let output: string;
      try {
        output = render(toRender(model));
      } catch (error) {
        throw new Error(`${JSON.stringify(model)} passed the schema but the renderer refused it: ${String(error)}`);
      }
      const injected = describeInjection(model, output);
      if (injected) throw new Error(`${JSON.stringify(model)} passed the schema and ${injected}`);
      return true;
    }),
    { numRuns: RUNS, seed: 11 },
  );
  return {
    failure: result.failed ? String(result.errorInstance ?? result.counterexample) : undefined,
    refused,
    accepted,
  };
}

const renderer: Render = (model) => renderModelParams(model, SHAPE, undefined);
/** Planted: the renderer with no guard at all, as a careless rewrite would leave it. */
const unguardedRenderer: Render = (model) =>
  `--served-model-name ${model.modelName} --seed 42 --tensor-parallel-size ${model.gpuCount} ${buildParamsString(model.params ?? {})}`.trim();

describe("vLLM flag injection", () => {
  it("renders exactly the flags it is given, each value one word, or refuses the model (the renderer's own contract)", () => {
    const { failure, refused, rendered } = checkRenderer(renderer);
    assert.equal(failure, undefined, `the renderer let an input add a flag: ${failure}`);
    assert.ok(
      refused > RUNS / 10 && rendered > RUNS / 10,
      `the generator reaches both outcomes (refused ${refused}, rendered ${rendered})`,
    );
  });

  it("accepts only selections the renderer renders exactly (the schema's contract)", () => {
    const { failure, refused, accepted } = checkSchema(modelSelectionSchema, renderer);
    assert.equal(failure, undefined, failure);
    assert.ok(
      refused > RUNS / 10 && accepted > RUNS / 10,
      `the generator reaches both outcomes (refused ${refused}, accepted ${accepted})`,
    );
  });

  it("would catch an unguarded renderer and a schema that lets served names through (planted)", () => {
    assert.match(
      checkRenderer(unguardedRenderer).failure ?? "",
      /rendered/,
      "the renderer check finds the planted injection",
    );
    const looseNames = modelSelectionSchema.extend({ modelName: z.string().min(1).optional() });
    assert.match(
      checkSchema(looseNames, unguardedRenderer).failure ?? "",
      /passed the schema and rendered/,
      "the schema check finds the planted gap",
    );
    const looseValues = modelSelectionSchema.extend({
      params: z.record(z.string().regex(/^--/), z.string()).optional(),
    });
    assert.match(
      checkSchema(looseValues, unguardedRenderer).failure ?? "",
      /passed the schema/,
      "the schema check finds a planted gap in values",
    );
  });
});
