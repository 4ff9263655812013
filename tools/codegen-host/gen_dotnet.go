//go:build legacydotnet

package main

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	codegenrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
)

func supported(language string) bool { return language == "dotnet" }

func languages() []string { return []string{"dotnet"} }

// generate binds the schema (pkg/v3@v3.106.0's binder, which has no validation options) and runs the .NET generator
// of that release, the last served one that still carried it. nil files with diagnostics means the schema has errors.
func generate(_ string, req *pulumirpc.GeneratePackageRequest) (map[string][]byte, []*codegenrpc.Diagnostic, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, nil, fmt.Errorf("the schema is not valid JSON: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader)
	if err != nil {
		return nil, nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return nil, rpcDiags, nil
	}
	files, err := dotnet.GeneratePackage("pulumi-language-dotnet", pkg, req.ExtraFiles)
	return files, rpcDiags, err
}
