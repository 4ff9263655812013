// What the resource provider protocol offers and the Node provider server of @pulumi/pulumi 3.248 does not pass on:
// previews that compute (Configure's supportsPreview, then Create and Update with `preview` set) and a detailed
// diff (DiffResponse.detailedDiff with PropertyDiff kinds). The server builds its gRPC service from one object per
// process; this wraps that object's Configure, Diff, Create and Update as it is registered, and leaves every other
// call, and every non-preview Create and Update, to the server as it is.

import * as path from "node:path";
import { changedTopLevelKeys, type DetailedDiff, type PropertyDiffKind } from "../core/detailed-diff";
import { assertPatchablePulumi, providerMessages, pulumiRoot } from "./pulumi-provider-proto";

/** The calls the plugin answers itself. `properties` and the rest arrive as the server would hand them over. */
export interface ProtocolExtensions {
  /** The outputs a create of `properties` will produce (the id is not known in a preview). */
  previewCreate(urn: string, properties: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The outputs an update from `olds` (state) to `news` (checked inputs) will produce. */
  previewUpdate(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
  /** The diff in detail; `oldInputs` are the inputs state holds (the engine sends them with the old outputs). */
  diffInDetail(
    id: string,
    urn: string,
    olds: Record<string, unknown>,
    oldInputs: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; detailedDiff: DetailedDiff }>;
}

type Callback = (error: unknown, response?: unknown) => void;
type Handler = (call: { request: Request }, callback: Callback) => void;
interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface Request {
  getUrn(): string;
  getId(): string;
  getPreview(): boolean;
  getProperties(): Struct;
  getOlds(): Struct;
  getNews(): Struct;
  getOldInputs(): Struct | undefined;
}
interface Message {
  [setter: string]: (value: unknown) => unknown;
}
interface Messages {
  ConfigureResponse: new () => Message;
  CreateResponse: new () => Message;
  UpdateResponse: new () => Message;
  DiffResponse: (new () => Message & { getDetaileddiffMap(): Map<string, unknown> }) & {
    DiffChanges: Record<"DIFF_NONE" | "DIFF_SOME", number>;
  };
  PropertyDiff: (new () => Message) & { Kind: Record<string, number> };
}

/** The protocol's PropertyDiff.Kind for each kind `pulumi preview --json` prints. */
const KIND_NAMES: Record<PropertyDiffKind, string> = {
  add: "ADD",
  "add-replace": "ADD_REPLACE",
  delete: "DELETE",
  "delete-replace": "DELETE_REPLACE",
  update: "UPDATE",
  "update-replace": "UPDATE_REPLACE",
};

function structOf(value: Record<string, unknown>): unknown {
  const structs = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiRoot()] })) as {
    Struct: { fromJavaScript(value: unknown): unknown };
  };
  return structs.Struct.fromJavaScript(value);
}

/** Runs `answer` and hands its response (or error) to gRPC; an error thrown here fails the call, as the server's do. */
function respond(callback: Callback, answer: () => Promise<unknown>): void {
  answer().then(
    (response) => callback(undefined, response),
    (error: unknown) => callback(error),
  );
}

function extendedService(implementation: Record<string, Handler>, extensions: ProtocolExtensions): object {
  const messages = providerMessages<Messages>();
  const original = (name: string): Handler => (implementation[name] as Handler).bind(implementation);
  const overrides: Record<string, Handler> = {
    configure(call, callback) {
      original("configure")(call, (error, response) => {
        (response as Message | undefined)?.["setSupportspreview"]?.(true);
        callback(error, response);
      });
    },
    create(call, callback) {
      const request = call.request;
      if (!request.getPreview()) return original("create")(call, callback);
      respond(callback, async () => {
        const outs = await extensions.previewCreate(request.getUrn(), request.getProperties().toJavaScript());
        const response = new messages.CreateResponse();
        response["setId"]?.("");
        response["setProperties"]?.(structOf(outs));
        return response;
      });
    },
    update(call, callback) {
      const request = call.request;
      if (!request.getPreview()) return original("update")(call, callback);
      respond(callback, async () => {
        const outs = await extensions.previewUpdate(
          request.getId(),
          request.getUrn(),
          request.getOlds().toJavaScript(),
          request.getNews().toJavaScript(),
        );
        const response = new messages.UpdateResponse();
        response["setProperties"]?.(structOf(outs));
        return response;
      });
    },
    diff(call, callback) {
      const request = call.request;
      respond(callback, async () => {
        const olds = request.getOlds().toJavaScript();
        const result = await extensions.diffInDetail(
          request.getId(),
          request.getUrn(),
          olds,
          request.getOldInputs()?.toJavaScript() ?? olds,
          request.getNews().toJavaScript(),
        );
        const response = new messages.DiffResponse();
        response["setChanges"]?.(messages.DiffResponse.DiffChanges[result.changes ? "DIFF_SOME" : "DIFF_NONE"]);
        response["setReplacesList"]?.(result.replaces);
        response["setDeletebeforereplace"]?.(result.deleteBeforeReplace);
        response["setDiffsList"]?.(changedTopLevelKeys(result.detailedDiff));
        response["setHasdetaileddiff"]?.(true);
        const detailed = response.getDetaileddiffMap();
        for (const [propertyPath, change] of Object.entries(result.detailedDiff)) {
          const entry = new messages.PropertyDiff();
          entry["setKind"]?.(messages.PropertyDiff.Kind[KIND_NAMES[change.kind]]);
          entry["setInputdiff"]?.(change.inputDiff);
          detailed.set(propertyPath, entry);
        }
        return response;
      });
    },
  };
  return Object.assign(Object.create(implementation) as object, overrides);
}

/**
 * Makes the provider server registered next (by @pulumi/pulumi/provider's `main`) answer previews and diffs through
 * `extensions`. Call once, before `main`.
 */
export function extendProviderProtocol(extensions: ProtocolExtensions): void {
  assertPatchablePulumi("the preview and detailed-diff extension");
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiRoot()] })) as {
    Server: { prototype: { addService(service: unknown, implementation: object): void; __aquaExtended?: boolean } };
  };
  const services = require(path.join(pulumiRoot(), "proto", "provider_grpc_pb")) as {
    ResourceProviderService: unknown;
  };
  const prototype = grpc.Server.prototype;
  if (prototype.__aquaExtended) return;
  const addService = prototype.addService;
  prototype.addService = function (service: unknown, implementation: object) {
    const extended =
      service === services.ResourceProviderService
        ? extendedService(implementation as Record<string, Handler>, extensions)
        : implementation;
    return addService.call(this, service, extended);
  };
  prototype.__aquaExtended = true;
}
