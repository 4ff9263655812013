import { strict as assert } from "node:assert";
import * as datascience from "oci-datascience";
import { listUserCreated } from "../../emulator";
import {
  captureError,
  createActiveGroup,
  createDeployableModel,
  describeGroup,
  holdingTransitions,
  startTestCloud,
  type TestCloud,
  waitForWorkRequest,
} from "./harness";

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";
const MISTRAL_LORA = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bsqllora";

describe("emulator: model groups", () => {
  let cloud: TestCloud;

  before(async () => {
    cloud = await startTestCloud();
  });

  after(() => cloud.stop());

  it("creates a group in CREATING with etag, location and a MODEL_GROUP_CREATE work request, then settles ACTIVE", async () => {
    const created = await holdingTransitions(cloud, () =>
      cloud.dataScience.createModelGroup({
        createBaseModelGroupDetails: describeGroup(cloud, [MISTRAL, MISTRAL_LORA], {
          customMetadataList: [{ key: "MULTI_MODEL_CONFIG", value: "{}", description: "config", category: "Other" }],
        }),
      }),
    );
    assert.equal(created.modelGroup.lifecycleState, "CREATING");
    assert.ok(created.etag);
    assert.match(created.modelGroup.id, /^ocid1\.datasciencemodelgroup\./);
    assert.equal(created.modelGroup.createdBy, cloud.emulator.userId);
    const workRequest = await waitForWorkRequest(cloud, created.opcWorkRequestId);
    assert.equal(workRequest.operationType, "MODEL_GROUP_CREATE");
    assert.equal(workRequest.status, "SUCCEEDED");
    assert.deepEqual(
      workRequest.resources.map((resource) => [resource.identifier, resource.actionType]),
      [[created.modelGroup.id, "CREATED"]],
    );
    const group = (await cloud.dataScience.getModelGroup({ modelGroupId: created.modelGroup.id })).modelGroup;
    assert.equal(group.lifecycleState, "ACTIVE");
    assert.equal(group.modelGroupDetails.type, "HOMOGENEOUS");
    assert.deepEqual(
      group.memberModelEntries.memberModelDetails?.map((member) => member.modelId),
      [MISTRAL, MISTRAL_LORA],
    );
    assert.equal(group.modelGroupDetails.customMetadataList?.[0]?.key, "MULTI_MODEL_CONFIG");
  });

  it("refuses members that are missing, not ACTIVE or listed twice, clashing inference keys and a STACKED base outside the group", async () => {
    const missing = await captureError(() =>
      cloud.dataScience.createModelGroup({
        createBaseModelGroupDetails: describeGroup(cloud, [MISTRAL, "ocid1.datasciencemodel.oc1.iad.nosuch"]),
      }),
    );
    assert.deepEqual([missing.statusCode, missing.serviceCode], [400, "RelatedResourceNotAuthorizedOrNotFound"]);
    assert.match(missing.message, /memberModelDetails\[1\]\.modelId/);

    const inactiveId = await createDeployableModel(cloud, "inactive-member");
    await cloud.dataScience.deactivateModel({ modelId: inactiveId });
    const inactive = await captureError(() =>
      cloud.dataScience.createModelGroup({ createBaseModelGroupDetails: describeGroup(cloud, [inactiveId]) }),
    );
    assert.deepEqual([inactive.statusCode, inactive.serviceCode], [400, "InvalidParameter"]);
    assert.match(inactive.message, /INACTIVE; only ACTIVE models can join a model group/);

    const twice = await captureError(() =>
      cloud.dataScience.createModelGroup({ createBaseModelGroupDetails: describeGroup(cloud, [MISTRAL, MISTRAL]) }),
    );
    assert.match(twice.message, /listed more than once/);

    const keys = await captureError(() =>
      cloud.dataScience.createModelGroup({
        createBaseModelGroupDetails: describeGroup(cloud, [MISTRAL, FALCON], { inferenceKeys: ["same", "same"] }),
      }),
    );
    assert.deepEqual([keys.statusCode, keys.serviceCode], [400, "InvalidParameter"]);
    assert.match(keys.message, /inference key same/);

    const stacked = describeGroup(cloud, [MISTRAL_LORA]);
    stacked.modelGroupDetails = {
      type: "STACKED",
      baseModelId: MISTRAL,
    } as datascience.models.StackedModelGroupDetails;
    const base = await captureError(() => cloud.dataScience.createModelGroup({ createBaseModelGroupDetails: stacked }));
    assert.match(base.message, /baseModelId/);

    const project = await captureError(() =>
      cloud.dataScience.createModelGroup({
        createBaseModelGroupDetails: {
          ...describeGroup(cloud, [MISTRAL]),
          projectId: "ocid1.datascienceproject.oc1.iad.nosuch",
        },
      }),
    );
    assert.equal(project.serviceCode, "RelatedResourceNotAuthorizedOrNotFound");
  });

  it("replays a create repeated with the same retry token and refuses the token with another body", async () => {
    const details = describeGroup(cloud, [FALCON], { displayName: "retried-group" });
    const first = await cloud.dataScience.createModelGroup({
      createBaseModelGroupDetails: details,
      opcRetryToken: "group-token-1",
    });
    const again = await cloud.dataScience.createModelGroup({
      createBaseModelGroupDetails: details,
      opcRetryToken: "group-token-1",
    });
    assert.equal(again.modelGroup.id, first.modelGroup.id);
    assert.equal(again.opcWorkRequestId, first.opcWorkRequestId);
    const other = await captureError(() =>
      cloud.dataScience.createModelGroup({
        createBaseModelGroupDetails: { ...details, displayName: "other" },
        opcRetryToken: "group-token-1",
      }),
    );
    assert.deepEqual([other.statusCode, other.serviceCode], [409, "InvalidatedRetryToken"]);
    const named = await cloud.dataScience.listModelGroups({
      compartmentId: cloud.emulator.compartmentId,
      displayName: "retried-group",
    });
    assert.equal(named.items.length, 1);
  });

  it("lists by compartment with filters, sorting and paging", async () => {
    for (const name of ["page-a", "page-b", "page-c"])
      await createActiveGroup(cloud, describeGroup(cloud, [FALCON], { displayName: name }));
    const firstPage = await cloud.dataScience.listModelGroups({
      compartmentId: cloud.emulator.compartmentId,
      limit: 2,
      sortBy: datascience.requests.ListModelGroupsRequest.SortBy.DisplayName,
      sortOrder: datascience.requests.ListModelGroupsRequest.SortOrder.Asc,
      lifecycleState: datascience.models.ModelGroupLifecycleState.Active,
    });
    assert.equal(firstPage.items.length, 2);
    assert.ok(firstPage.opcNextPage);
    const all = [];
    for await (const item of cloud.dataScience.listAllModelGroups({
      compartmentId: cloud.emulator.compartmentId,
      sortBy: datascience.requests.ListModelGroupsRequest.SortBy.DisplayName,
    }))
      all.push(item);
    const names = all.map((item) => item.displayName).filter((name) => name.startsWith("page-"));
    assert.deepEqual(names, ["page-a", "page-b", "page-c"]);
    assert.ok(
      all.every((item) => item.modelGroupDetails.type === "HOMOGENEOUS" && !("memberModelEntries" in item)),
      "summaries carry details, not members",
    );
    const byProject = await cloud.dataScience.listModelGroups({
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.secondProjectId,
    });
    assert.deepEqual(byProject.items, []);
    const missing = await captureError(() => cloud.dataScience.listModelGroups({ compartmentId: "" }));
    assert.equal(missing.statusCode, 400);
  });

  it("updates names, version label and tags in place and refuses a change of members with 400", async () => {
    const group = await createActiveGroup(cloud, describeGroup(cloud, [FALCON], { displayName: "to-update" }));
    const updated = await cloud.dataScience.updateModelGroup({
      modelGroupId: group.id,
      updateModelGroupDetails: { displayName: "updated", versionLabel: "v2", freeformTags: { team: "llm" } },
    });
    assert.equal(updated.modelGroup.displayName, "updated");
    assert.equal(updated.modelGroup.versionLabel, "v2");
    assert.deepEqual(updated.modelGroup.freeformTags, { team: "llm" });
    assert.ok(new Date(updated.modelGroup.timeUpdated) >= new Date(group.timeUpdated));

    const body = {
      displayName: "x",
      memberModelEntries: { memberModelDetails: [{ modelId: MISTRAL }] },
    } as datascience.models.UpdateModelGroupDetails;
    const members = await captureError(() =>
      cloud.dataScience.updateModelGroup({ modelGroupId: group.id, updateModelGroupDetails: body }),
    );
    assert.deepEqual([members.statusCode, members.serviceCode], [400, "InvalidParameter"]);
    assert.match(members.message, /memberModelEntries cannot be updated/);
    const stale = await captureError(() =>
      cloud.dataScience.updateModelGroup({
        modelGroupId: group.id,
        ifMatch: "stale",
        updateModelGroupDetails: { displayName: "y" },
      }),
    );
    assert.equal(stale.statusCode, 412);
    const unchanged = await cloud.dataScience.getModelGroup({ modelGroupId: group.id });
    assert.equal(unchanged.modelGroup.displayName, "updated");
  });

  it("lists the member models with their inference keys", async () => {
    const group = await createActiveGroup(
      cloud,
      describeGroup(cloud, [MISTRAL, MISTRAL_LORA], { inferenceKeys: ["base", "sql"] }),
    );
    const members = await cloud.dataScience.listModelGroupModels({
      modelGroupId: group.id,
      compartmentId: cloud.emulator.compartmentId,
    });
    assert.deepEqual(
      members.items.map((member) => [member.modelId, member.inferenceKey, member.displayName]).sort(),
      [
        [MISTRAL, "base", "mistralai/Mistral-7B-v0.1"],
        [MISTRAL_LORA, "sql", "Mistral-7B-v0.1-sql-lora"],
      ].sort(),
    );
    const one = await cloud.dataScience.listModelGroupModels({
      modelGroupId: group.id,
      compartmentId: cloud.emulator.compartmentId,
      limit: 1,
    });
    assert.equal(one.items.length, 1);
    assert.ok(one.opcNextPage);
  });

  it("clones a group with a member patch, leaving the source unchanged", async () => {
    const source = await createActiveGroup(cloud, describeGroup(cloud, [MISTRAL], { displayName: "clone-source" }));
    const clone: datascience.models.CloneModelGroupDetails = {
      createType: "CLONE",
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.projectId,
      modelGroupCloneSourceDetails: {
        modelGroupCloneSourceType: "MODEL_GROUP",
        sourceId: source.id,
        modifyModelGroupDetails: { displayName: "clone" },
        patchModelGroupMemberModelDetails: {
          items: [
            { operation: "INSERT", values: [{ modelId: FALCON }] } as datascience.models.PatchInsertNewMemberModels,
          ],
        },
      } as datascience.models.CloneCreateFromModelGroupDetails,
    };
    const created = await cloud.dataScience.createModelGroup({ createBaseModelGroupDetails: clone });
    assert.equal(created.modelGroup.sourceModelGroupId, source.id);
    assert.equal(created.modelGroup.createType, "CLONE");
    assert.deepEqual(
      created.modelGroup.memberModelEntries.memberModelDetails?.map((member) => member.modelId),
      [MISTRAL, FALCON],
    );
    const unchanged = await cloud.dataScience.getModelGroup({ modelGroupId: source.id });
    assert.equal(unchanged.modelGroup.memberModelEntries.memberModelDetails?.length, 1);
  });

  it("deactivates, activates, moves and deletes a group (DELETING -> DELETED with MODEL_GROUP_DELETE), and the inventory follows", async () => {
    const group = await createActiveGroup(cloud, describeGroup(cloud, [FALCON], { displayName: "to-delete" }));
    assert.ok(listUserCreated(await cloud.emulator.inventory()).modelGroups.some((item) => item.id === group.id));
    const inactive = await cloud.dataScience.deactivateModelGroup({ modelGroupId: group.id });
    assert.equal(inactive.modelGroup.lifecycleState, "INACTIVE");
    const active = await cloud.dataScience.activateModelGroup({ modelGroupId: group.id });
    assert.equal(active.modelGroup.lifecycleState, "ACTIVE");
    const again = await captureError(() => cloud.dataScience.activateModelGroup({ modelGroupId: group.id }));
    assert.deepEqual([again.statusCode, again.serviceCode], [409, "IncorrectState"]);
    await cloud.dataScience.changeModelGroupCompartment({
      modelGroupId: group.id,
      changeModelGroupCompartmentDetails: { compartmentId: "ocid1.compartment.oc1..elsewhere" },
    });
    assert.equal(
      (await cloud.dataScience.getModelGroup({ modelGroupId: group.id })).modelGroup.compartmentId,
      "ocid1.compartment.oc1..elsewhere",
    );

    const deleted = await holdingTransitions(cloud, () =>
      cloud.dataScience.deleteModelGroup({ modelGroupId: group.id }),
    );
    assert.equal(
      (await cloud.dataScience.getModelGroup({ modelGroupId: group.id })).modelGroup.lifecycleState,
      "DELETING",
    );
    const workRequest = await waitForWorkRequest(cloud, deleted.opcWorkRequestId);
    assert.deepEqual([workRequest.operationType, workRequest.status], ["MODEL_GROUP_DELETE", "SUCCEEDED"]);
    assert.equal(
      (await cloud.dataScience.getModelGroup({ modelGroupId: group.id })).modelGroup.lifecycleState,
      "DELETED",
    );
    const gone = await captureError(() => cloud.dataScience.deleteModelGroup({ modelGroupId: group.id }));
    assert.equal(gone.statusCode, 404);
    assert.ok(!listUserCreated(await cloud.emulator.inventory()).modelGroups.some((item) => item.id === group.id));
  });
});
