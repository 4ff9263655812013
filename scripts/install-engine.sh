#!/usr/bin/env bash
# Installs the real Pulumi engine into .tools/pulumi/bin, built from the Go module proxy (get.pulumi.com is not
# needed): the `pulumi` CLI at the version of @pulumi/pulumi in package.json, the Node.js language host, and the
# dynamic-provider plugin script that ships inside @pulumi/pulumi. Cached: does nothing when they are already there.
#
# The language host lives in its own Go module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) that has no version tags;
# we try it at the release's commit first. Where the proxy does not serve that module (this workplace's proxy
# answers 403), we build the newest official host that is still inside the served sdk/v3 module (v3.68.0, the
# last release before the host moved out); the CLI accepts older hosts (it falls back from GetRequiredPackages to
# GetRequiredPlugins), and the e2e suite proves the pair works with this @pulumi/pulumi.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools/pulumi"
bin="$tools/bin"
build="$tools/build"
say() { echo "[install-engine] $*"; }

[ -f "$root/node_modules/@pulumi/pulumi/package.json" ] || { say "run npm ci first (node_modules/@pulumi/pulumi is missing)"; exit 1; }
version=$(node -p "require('$root/node_modules/@pulumi/pulumi/package.json').version")
want="v$version"
fallback_host_version="v3.68.0"

have_engine() {
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ] &&
    [ "$("$bin/pulumi" version 2>/dev/null)" = "$want" ]
}

install_dynamic_provider_plugin() {
  cp "$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
  chmod +x "$bin/pulumi-resource-pulumi-nodejs"
}

if have_engine; then
  install_dynamic_provider_plugin
  say "pulumi $want already in .tools/pulumi/bin"
  exit 0
fi
if command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "$want" ] && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  say "pulumi $want found on PATH ($(command -v pulumi)); linking it into .tools/pulumi/bin"
  mkdir -p "$bin"
  ln -sf "$(command -v pulumi)" "$bin/pulumi"
  ln -sf "$(command -v pulumi-language-nodejs)" "$bin/pulumi-language-nodejs"
  install_dynamic_provider_plugin
  exit 0
fi

command -v go >/dev/null 2>&1 || { say "Go is needed to build the Pulumi engine (apt-get install golang, or see go.dev)"; exit 1; }
mkdir -p "$bin" "$build/cli" "$build/host"
export GOFLAGS=-mod=mod CGO_ENABLED=0
started=$(date +%s)
ldflags() { echo "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$1"; }

say "building the pulumi CLI $want from github.com/pulumi/pulumi/pkg/v3 (a few minutes on a cold cache)"
cat > "$build/cli/go.mod" <<GOMOD
module local/pulumi-cli

go 1.25

require (
	github.com/pulumi/pulumi/pkg/v3 $want
	github.com/pulumi/pulumi/sdk/v3 $want
)

// pkg/go.mod's own replace line (a fork with Windows-only changes); replace lines of dependencies are ignored.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
cat > "$build/cli/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
(cd "$build/cli" && go mod tidy && go build -trimpath -tags osusergo,grpcnotrace -ldflags "$(ldflags "$want")" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
say "pulumi CLI built in $(( $(date +%s) - started ))s: $("$bin/pulumi" version)"

host_module=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
host_built=""
commit=$(cd "$build/cli" && go list -m -json "github.com/pulumi/pulumi/pkg/v3@$want" 2>/dev/null | sed -n 's/.*"Hash": "\([0-9a-f]\{12\}\).*/\1/p' | head -1 || true)
if [ -n "$commit" ]; then
  say "trying the Node.js language host of the release (commit $commit)"
  cat > "$build/host/go.mod" <<GOMOD
module local/pulumi-language-nodejs

go 1.25

require github.com/pulumi/pulumi/pkg/v3 $want

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
  if (cd "$build/host" && go get "$host_module@$commit" >"$build/host.log" 2>&1 &&
      go build -trimpath -tags osusergo,grpcnotrace -ldflags "$(ldflags "$want")" -o "$bin/pulumi-language-nodejs" "$host_module" >>"$build/host.log" 2>&1); then
    host_built="$want"
  else
    say "the proxy does not serve $host_module ($(grep -m1 -o '4[0-9][0-9] [A-Za-z ]*' "$build/host.log" || echo 'see .tools/pulumi/build/host.log'))"
  fi
fi
if [ -z "$host_built" ]; then
  say "building the official Node.js language host from github.com/pulumi/pulumi/sdk/v3@$fallback_host_version instead"
  rm -rf "$build/host" && mkdir -p "$build/host"
  cat > "$build/host/go.mod" <<GOMOD
module local/pulumi-language-nodejs

go 1.20

require github.com/pulumi/pulumi/sdk/v3 $fallback_host_version
GOMOD
  cat > "$build/host/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
GO
  (cd "$build/host" && go mod tidy && go build -trimpath -tags osusergo -ldflags "$(ldflags "$fallback_host_version")" -o "$bin/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs)
  host_built="$fallback_host_version"
fi
install_dynamic_provider_plugin
say "engine ready in $(( $(date +%s) - started ))s: pulumi $("$bin/pulumi" version), language host $host_built, dynamic provider plugin from @pulumi/pulumi $version"
say "binaries: $(du -sh "$bin/pulumi" | cut -f1) pulumi, $(du -sh "$bin/pulumi-language-nodejs" | cut -f1) pulumi-language-nodejs"
