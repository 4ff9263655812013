// An import's Read carries no properties (nothing is in state yet), and the Node provider server of @pulumi/pulumi
// 3.248 calls `req.getProperties().toJavaScript()` unguarded, so every import through a Node provider failed with
// "Cannot read properties of undefined (reading 'toJavaScript')". An absent Struct is read as an empty one here.

import { assertPatchablePulumi, providerMessages, pulumiRoot } from "./pulumi-provider-proto";

export function treatMissingReadPropertiesAsEmpty(): void {
  assertPatchablePulumi("the import Read shim");
  const providerProto = providerMessages<{
    ReadRequest: { prototype: { getProperties(): unknown; __aquaPatched?: boolean } };
  }>();
  const structProto = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiRoot()] }),
  ) as { Struct: new () => unknown };
  const prototype = providerProto.ReadRequest.prototype;
  if (prototype.__aquaPatched) return;
  const getProperties = prototype.getProperties;
  prototype.getProperties = function (this: unknown) {
    return getProperties.call(this) ?? new structProto.Struct();
  };
  prototype.__aquaPatched = true;
}
