import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import {
  getMultiModelConfigArgsSchema,
  getShapesArgsSchema,
  modelEvaluationArgsSchema,
  multiModelDeploymentArgsSchema,
} from "../../provider/core/input-schemas";
import { renderModelPath, renderMultiModelConfig } from "../../provider/core/render-multi-model-config";
import { parseInputs, UNKNOWN_INPUT } from "../../provider/core/validate-inputs";
import * as deploymentHooks from "../../provider/hooks/multi-model-deployment";
import * as evaluationHooks from "../../provider/hooks/model-evaluation";
import * as functions from "../../provider/hooks/functions";
import { startProviderTestCloud, type ProviderTestCloud } from "../provider/harness";

// Invalid inputs, generated: each case is a valid input with one field replaced by something wrong (a wrong type, a
// malformed OCID, a hostile string, an out-of-range number, an unknown key). Every case must be refused at `check`
// with a message naming a field, throw nothing, and make no mutating call. AQUA_FUZZ_RUNS sets the count per target.
const RUNS = Number(process.env["AQUA_FUZZ_RUNS"] ?? 2600);

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const validDeployment = {
  models: [{ modelId: MISTRAL, gpuCount: 1 }],
  instanceShape: "VM.GPU.A10.2",
  displayName: "fuzz",
  compartmentId: "ocid1.compartment.oc1..aquaemudefault",
  projectId: "ocid1.datascienceproject.oc1.iad.aquaemudefault",
};
const validEvaluation = {
  evaluationSourceId: "ocid1.datasciencemodeldeployment.oc1.iad.fuzz",
  evaluationName: "fuzz",
  datasetPath: "oci://b@n/d.jsonl",
  reportPath: "oci://b@n/r/",
  modelParameters: { model: "m" },
  shapeName: "VM.Standard.E4.Flex",
  blockStorageSize: 50,
  experimentName: "fuzz",
};

const hostile = fc.constantFrom(
  '"; rm -rf / #',
  "--max-model-len 4096 --enable-lora",
  "a\nb",
  "$(reboot)",
  "`id`",
  "x".repeat(5000),
  "ocid1.datasciencemodel.oc1..",
  "' OR 1=1 --",
  "\u0000",
  "🦙",
);
const wrong = fc.oneof(
  hostile,
  fc.integer({ min: -1_000_000, max: 0 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

/** One field of `valid` replaced by a value the schema refuses (checked against the schema itself). */
function invalidVariant<T extends Record<string, unknown>>(valid: T, schema: Parameters<typeof parseInputs>[0]) {
  const keys = Object.keys(valid);
  return fc
    .oneof(
      fc.tuple(fc.constantFrom(...keys), wrong).map(([key, value]) => ({ ...valid, [key]: value })),
      fc
        .tuple(
          fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !keys.includes(key) && !key.startsWith("__")),
          wrong,
        )
        .map(([key, value]) => ({ ...valid, [key]: value })),
      fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([name]) => name !== key))),
    )
    .filter((candidate) => !parseInputs(schema, candidate).ok);
}

describe("bad input, generated (reliability)", function () {
  this.timeout(600_000);
  let cloud: ProviderTestCloud;
  const counts: Record<string, number> = {};
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => {
    await cloud.stop();
    console.log(
      `      invalid inputs refused: ${Object.entries(counts)
        .map(([target, count]) => `${target} ${count}`)
        .join(", ")}`,
    );
  });

  async function fuzzCheck(
    target: string,
    valid: Record<string, unknown>,
    schema: Parameters<typeof parseInputs>[0],
    check: (input: Record<string, unknown>) => Promise<Array<{ property: string; reason: string }>>,
  ) {
    const before = (await cloud.emulator.inventory()).counters.mutatingCalls;
    counts[target] = 0;
    await fc.assert(
      fc.asyncProperty(invalidVariant(valid, schema), async (input) => {
        const failures = await check(input as Record<string, unknown>);
        assert.ok(failures.length > 0, `accepted ${JSON.stringify(input).slice(0, 200)}`);
        for (const failure of failures) {
          assert.ok(
            failure.property.length > 0 &&
              failure.reason.includes(failure.property.replace(/\[\d+\]$/, "").split(".")[0] ?? ""),
            `names the field: ${JSON.stringify(failure).slice(0, 300)}`,
          );
        }
        counts[target] = (counts[target] ?? 0) + 1;
      }),
      { numRuns: RUNS, seed: 42 },
    );
    assert.equal((await cloud.emulator.inventory()).counters.mutatingCalls, before, `${target}: no mutating call`);
  }

  it("refuses every invalid MultiModelDeployment input at check, naming the field, with no OCI write", async () => {
    await fuzzCheck(
      "MultiModelDeployment",
      validDeployment,
      multiModelDeploymentArgsSchema,
      async (input) => (await deploymentHooks.checkDeployment(cloud.context, input)).failures,
    );
  });

  it("refuses every invalid ModelEvaluation input at check, naming the field, with no OCI write", async () => {
    await fuzzCheck(
      "ModelEvaluation",
      validEvaluation,
      modelEvaluationArgsSchema,
      async (input) => (await evaluationHooks.checkEvaluation(cloud.context, input)).failures,
    );
  });

  it("refuses every invalid getShapes and getMultiModelConfig input with a field-named ValidationError", async () => {
    for (const [target, valid, schema, call] of [
      [
        "getShapes",
        { compartmentId: "ocid1.compartment.oc1..aquaemudefault" },
        getShapesArgsSchema,
        (input: unknown) => functions.getShapes(cloud.context, input),
      ],
      [
        "getMultiModelConfig",
        { modelIds: [MISTRAL] },
        getMultiModelConfigArgsSchema,
        (input: unknown) => functions.getMultiModelConfig(cloud.context, input),
      ],
    ] as const) {
      await fuzzCheck(target, valid, schema, async (input) => {
        try {
          await call(input);
          return [];
        } catch (error) {
          const issues = (error as { issues?: Array<{ path: string; message: string }> }).issues;
          assert.ok(issues, `threw something other than a ValidationError: ${String(error)}`);
          return issues.map((issue) => ({ property: issue.path, reason: issue.message }));
        }
      });
    }
  });

  // Flag injection through served names and params is tested, renderer and schema apart, in
  // tests/unit/vllm-flag-injection.test.ts; here, free-text paths (any character) stay inside their JSON string.
  it("keeps hostile artifact paths inside valid JSON, read back as written", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: "binary" }), (artifactLocation) => {
        const rendered = renderMultiModelConfig(
          [{ modelId: MISTRAL, modelName: "m", gpuCount: 1, artifactLocation }],
          "VM.GPU.A10.2",
          {},
        );
        const parsed = JSON.parse(rendered) as { models: Array<{ params: string; model_path: string }> };
        assert.deepEqual(
          parsed.models.map((model) => model.model_path),
          [renderModelPath(artifactLocation)],
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("treats the preview sentinel as unknown wherever it appears, never as a failure", () => {
    for (const key of Object.keys(validDeployment)) {
      assert.ok(parseInputs(multiModelDeploymentArgsSchema, { ...validDeployment, [key]: UNKNOWN_INPUT }).ok, key);
    }
  });
});
