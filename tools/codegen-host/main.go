// A Pulumi language host that implements only GeneratePackage, so `pulumi package gen-sdk` can run where the
// official hosts that implement it cannot be built: this workplace's Go module proxy refuses the modules that hold
// today's language hosts (sdk/python/cmd/pulumi-language-python/v3, sdk/go/pulumi-language-go/v3,
// sdk/nodejs/cmd/pulumi-language-nodejs/v3, pulumi-dotnet), and the hosts still inside the served sdk/v3 module
// (v3.68.0, used to RUN programs) predate GeneratePackage. The code generators themselves are the engine's own
// (github.com/pulumi/pulumi/pkg/v3/codegen/...), at the engine's version; .NET's left pkg/v3 after v3.106.0, so it
// is built from there (gen_dotnet.go, build tag legacydotnet).
//
// One binary serves one language, picked by its file name (pulumi-language-<lang>), like the official hosts'.
// scripts/install-engine.sh builds it into .tools/pulumi-codegen/ beside a copy of the CLI, and scripts/gen-sdk.sh
// runs `pulumi package gen-sdk` from there, so these hosts never shadow the ones that run programs.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Set at link time (-X main.version=...): the pkg/v3 version whose code generator this binary carries.
var version = "0.0.0"

type codegenHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	language string
}

func (h *codegenHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: strings.TrimPrefix(version, "v")}, nil
}

func (h *codegenHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	files, diags, err := generate(h.language, req)
	if err != nil {
		return nil, err
	}
	if files == nil { // schema errors: the engine prints the diagnostics
		return &pulumirpc.GeneratePackageResponse{Diagnostics: diags}, nil
	}
	for name, data := range files {
		target := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(target, data, 0o600); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: diags}, nil
}

// localFiles answers requests for the URLs named in CODEGEN_URL_FILES (a JSON object: URL -> local file) from
// disk, and sends every other request on. The .NET generator downloads the package's logoUrl into the SDK; this
// lets a machine without internet access generate it from the repository's copy of the same image.
type localFiles struct {
	files map[string]string
	next  http.RoundTripper
}

func (l localFiles) RoundTrip(req *http.Request) (*http.Response, error) {
	path, ok := l.files[req.URL.String()]
	if !ok {
		return l.next.RoundTrip(req)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("CODEGEN_URL_FILES maps %s to %s: %w", req.URL, path, err)
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data)),
		Request: req,
	}, nil
}

func main() {
	if mapping := os.Getenv("CODEGEN_URL_FILES"); mapping != "" {
		files := map[string]string{}
		if err := json.Unmarshal([]byte(mapping), &files); err != nil {
			fmt.Fprintf(os.Stderr, "CODEGEN_URL_FILES is not a JSON object of URL -> file: %v\n", err)
			os.Exit(2)
		}
		http.DefaultTransport = localFiles{files: files, next: http.DefaultTransport}
	}
	language := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-language-")
	if !supported(language) {
		fmt.Fprintf(os.Stderr, "%s: this code-generation host serves %v (name it pulumi-language-<lang>)\n",
			os.Args[0], languages())
		os.Exit(2)
	}
	// The engine passes its address and flags; code generation needs neither (the schema loader's address comes
	// in the request).
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &codegenHost{language: language})
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not start the language host: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port) // the plugin protocol: the port is the first line on stdout
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "language host stopped: %v\n", err)
		os.Exit(1)
	}
}
