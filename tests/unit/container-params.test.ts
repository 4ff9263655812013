import { strict as assert } from "node:assert";
import {
  buildParamsString,
  combineParams,
  findRestrictedParams,
  parseParams,
} from "../../provider/core/container-params";

describe("container params", () => {
  it("parses flags with values, bare flags, and drops extra words as ADS does", () => {
    assert.deepEqual(
      [...parseParams("--a 1 --b --c x y")],
      [
        ["--a", "1"],
        ["--b", ""],
        ["--c", "x"],
      ],
    );
  });

  it("returns the config string verbatim when the user gave no params", () => {
    assert.equal(combineParams("--max-model-len  4096", ""), "--max-model-len  4096");
  });

  it("lets the second string override the first per flag", () => {
    assert.equal(combineParams("--a 1 --b", "--a 2 --c 3"), "--a 2 --b --c 3");
  });

  it("builds name-value pairs separated by single spaces", () => {
    assert.equal(buildParamsString({ "--a": "1", "--b": 2 }), "--a 1 --b 2");
    assert.equal(buildParamsString({}), "");
  });

  it("finds the flags the vLLM container owns", () => {
    assert.deepEqual(findRestrictedParams("--max-model-len 10 --seed 1 --host x"), ["--seed", "--host"]);
  });
});
