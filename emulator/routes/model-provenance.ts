// Model provenance (Create/Get/Update ModelProvenance): where a model was trained (git repository, commit, script,
// job run). One per model, synchronous, carrying the model's etag rules of its own. ADS's `evaluation create` and
// `DataScienceModel.create` with provenance metadata write it after CreateModel.

import { conflict, notFound } from "../errors";
import { checkIfMatch, computeEtag } from "../etag";
import type { Exchange, Reply } from "../exchange";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { type ModelProvenance, modelProvenanceDetails } from "../schemas/catalog";
import type { World } from "../world";
import { findChangeableModel, findLiveModel } from "./models";

const PATTERN = "/20190101/models/{modelId}/provenance";
const FIELDS = ["repositoryUrl", "gitBranch", "gitCommit", "scriptDir", "trainingScript", "trainingId"] as const;

function provenances(world: World): Record<string, ModelProvenance> {
  world.state.modelProvenances ??= {};
  return world.state.modelProvenances;
}

/** Only the documented fields, in the documented order; unknown fields of a request are not kept. */
function pickProvenance(details: ModelProvenance): ModelProvenance {
  const provenance: ModelProvenance = {};
  for (const field of FIELDS) if (details[field] !== undefined) provenance[field] = details[field];
  return provenance;
}

function reply(provenance: ModelProvenance): Reply {
  return { status: 200, json: provenance, headers: { etag: computeEtag(provenance) } };
}

function createProvenance(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  const details = parseWith(modelProvenanceDetails, readJsonBody(exchange.body));
  if (provenances(world)[model.id]) throw conflict(`Model ${model.id} already has provenance; update it with PUT.`);
  const provenance = pickProvenance(details);
  provenances(world)[model.id] = provenance;
  return reply(provenance);
}

function getProvenance(exchange: Exchange, world: World): Reply {
  const model = findLiveModel(world, exchange);
  const provenance = provenances(world)[model.id];
  if (!provenance) throw notFound("The provenance of model", model.id);
  return reply(provenance);
}

/** UpdateModelProvenance replaces the provenance with the fields sent (a field left out is cleared). */
function updateProvenance(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  const current = provenances(world)[model.id];
  if (!current) throw notFound("The provenance of model", model.id);
  checkIfMatch(exchange, current);
  const provenance = pickProvenance(parseWith(modelProvenanceDetails, readJsonBody(exchange.body)));
  provenances(world)[model.id] = provenance;
  return reply(provenance);
}

/** The model provenance routes. */
export const modelProvenanceRoutes: Route[] = [
  { operation: "CreateModelProvenance", method: "POST", pattern: PATTERN, handler: createProvenance, retryToken: true },
  { operation: "GetModelProvenance", method: "GET", pattern: PATTERN, handler: getProvenance },
  { operation: "UpdateModelProvenance", method: "PUT", pattern: PATTERN, handler: updateProvenance },
];
