// Creates with an idempotency token: which answers are replays of an earlier request, and which are this request's own.

import { strict as assert } from "node:assert";
import { createUnlessReplayedGone, madeBy } from "../../provider/oci/replayed-creates";

describe("creates with an idempotency token", () => {
  it("counts an object as this request's own only when OCI made it at or after the request was sent", () => {
    const sentAt = Date.parse("2026-12-04T08:00:00.500Z");
    assert.equal(madeBy(sentAt, "2026-12-04T08:00:00.500Z"), true);
    assert.equal(madeBy(sentAt, "2026-12-04T08:00:01.000Z"), true);
    assert.equal(madeBy(sentAt, "2026-12-04T08:00:00.499Z"), false, "made before the request: a replay");
    assert.equal(madeBy(sentAt, undefined), false);
    assert.equal(madeBy(sentAt, "not a time"), false);
  });

  it("creates anew, under another token, only when the answer is not live", async () => {
    const tokens: string[] = [];
    const create = async (token: string) => {
      tokens.push(token);
      return { token };
    };
    let sentAtSeen = 0;
    const live = await createUnlessReplayedGone("t", create, async (_created, sentAt) => {
      sentAtSeen = sentAt;
      return true;
    });
    assert.deepEqual(live, { token: "t" });
    assert.deepEqual(tokens, ["t"]);
    assert.ok(sentAtSeen > 0 && sentAtSeen <= Date.now(), "isLive is told when the create was sent");

    const replacement = await createUnlessReplayedGone("t", create, async () => false);
    assert.equal(tokens.length, 3);
    assert.match(tokens[2] ?? "", /^t-[0-9a-z]+$/);
    assert.deepEqual(replacement, { token: tokens[2] });
  });
});
