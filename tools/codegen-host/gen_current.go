//go:build !legacydotnet

package main

import (
	"encoding/json"
	"fmt"
	"sort"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	codegenrpc "github.com/pulumi/pulumi/sdk/v3/proto/go/codegen"
)

var generators = map[string]func(*schema.Package, *pulumirpc.GeneratePackageRequest, schema.ReferenceLoader) (
	map[string][]byte, error){
	"python": func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (
		map[string][]byte, error,
	) {
		return python.GeneratePackage("pulumi-language-python", pkg, req.ExtraFiles, loader)
	},
	"nodejs": func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader) (
		map[string][]byte, error,
	) {
		return nodejs.GeneratePackage("pulumi-language-nodejs", pkg, req.ExtraFiles, req.LocalDependencies,
			req.Local, loader)
	},
	"go": func(pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, _ schema.ReferenceLoader) (
		map[string][]byte, error,
	) {
		files, err := gogen.GeneratePackage("pulumi-language-go", pkg, req.LocalDependencies)
		if err != nil {
			return nil, err
		}
		for name, data := range req.ExtraFiles {
			files[name] = data
		}
		return files, nil
	},
}

func supported(language string) bool { _, ok := generators[language]; return ok }

func languages() []string {
	names := make([]string, 0, len(generators))
	for name := range generators {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// generate binds the schema the way the official hosts do (dangling references allowed: the engine has already
// validated the package) and runs the language's generator. nil files with diagnostics means the schema has errors.
func generate(language string, req *pulumirpc.GeneratePackageRequest) (map[string][]byte, []*codegenrpc.Diagnostic, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, nil, fmt.Errorf("the schema is not valid JSON: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return nil, rpcDiags, nil
	}
	files, err := generators[language](pkg, req, loader)
	return files, rpcDiags, err
}
