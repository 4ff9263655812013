#!/usr/bin/env bash
# Installs the real Pulumi engine into .tools/pulumi/bin, built from the Go module proxy (get.pulumi.com is not
# needed): the `pulumi` CLI at the version of @pulumi/pulumi in package.json, the Node.js language host, and the
# dynamic-provider plugin script that ships inside @pulumi/pulumi. Cached: does nothing when they are already there.
#
# `go install pkg@version` refuses modules with replace directives, so each binary is built inside a throwaway
# wrapper module under .tools/pulumi/build/ (gitignored) that repeats pkg/go.mod's replace line.
#
# The language host lives in its own Go module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) that has no version tags;
# we try it at the release's commit (pseudo-version) first. Where the proxy does not serve that module (this
# workplace's proxy answers 403 "This module version is not available" for every version of it), we build the
# newest official host that is still inside the served sdk/v3 module (v3.68.0, the last release before the host
# moved out); the CLI accepts older hosts (it falls back from GetRequiredPackages to GetRequiredPlugins), and
# tests/e2e prove the pair works with this @pulumi/pulumi.
#
# Environment: GOTOOLCHAIN/GOPROXY/GOMODCACHE/GOCACHE are honoured as set (GOTOOLCHAIN=auto lets a go.mod that
# needs a newer Go fetch that toolchain from the module proxy). PULUMI_ENGINE_REBUILD=1 forces a rebuild.
# AQUA_PULUMI_DIR installs somewhere else than .tools/pulumi (scripts/pulumi-env.sh and tests/e2e honour it too).
#
# Then scripts/install-languages.sh adds the Python and YAML language hosts, the SDK code generators and the Python
# virtualenv (each cached on its own).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="${AQUA_PULUMI_DIR:-$root/.tools/pulumi}"
bin="$tools/bin"
build="$tools/build"
say() { echo "[install-engine] $*"; }
die() { echo "[install-engine] ERROR: $*" >&2; exit 1; }

if [ -f "$root/node_modules/@pulumi/pulumi/package.json" ]; then
  version=$(node -p "require('$root/node_modules/@pulumi/pulumi/package.json').version")
else
  # Before npm ci: take the pinned version from package.json (the plugin script below still needs node_modules).
  version=$(node -p "(require('$root/package.json').dependencies||{})['@pulumi/pulumi']||''" | sed 's/^[^0-9]*//')
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot tell the @pulumi/pulumi version (got '$version'); pin it exactly in package.json"
want="v$version"
fallback_host_version="v3.68.0"
plugin_src="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"

have_engine() {
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ "$("$bin/pulumi" version 2>/dev/null)" = "$want" ]
}

install_dynamic_provider_plugin() {
  [ -f "$plugin_src" ] || die "run npm ci first: $plugin_src is missing"
  cp "$plugin_src" "$bin/pulumi-resource-pulumi-nodejs.tmp" && chmod +x "$bin/pulumi-resource-pulumi-nodejs.tmp"
  mv -f "$bin/pulumi-resource-pulumi-nodejs.tmp" "$bin/pulumi-resource-pulumi-nodejs"
}

if [ "${PULUMI_ENGINE_REBUILD:-}" != 1 ]; then
  if have_engine; then
    install_dynamic_provider_plugin
    say "pulumi $want already in $bin ($(cat "$tools/engine.txt" 2>/dev/null || echo 'language host present'))"
    exec bash "$root/scripts/install-languages.sh"
  fi
  path_pulumi=$(command -v pulumi 2>/dev/null || true)
  if [ -n "$path_pulumi" ] && [ "$(dirname "$(readlink -f "$path_pulumi")")" != "$(readlink -f "$bin" 2>/dev/null || echo "$bin")" ] &&
    [ "$("$path_pulumi" version 2>/dev/null)" = "$want" ] && command -v pulumi-language-nodejs >/dev/null 2>&1; then
    say "pulumi $want found on PATH ($(command -v pulumi)); linking it into .tools/pulumi/bin"
    mkdir -p "$bin"
    ln -sf "$(command -v pulumi)" "$bin/pulumi"
    ln -sf "$(command -v pulumi-language-nodejs)" "$bin/pulumi-language-nodejs"
    install_dynamic_provider_plugin
    echo "pulumi $want and pulumi-language-nodejs from PATH" >"$tools/engine.txt"
    exec bash "$root/scripts/install-languages.sh"
  fi
fi

command -v go >/dev/null 2>&1 || die "Go is needed to build the Pulumi engine (apt-get install golang-go, or a Go >= 1.25 toolchain)"
mkdir -p "$bin" "$build"
export CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
started=$(date +%s)
ldflags() { echo "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$1"; }
tags=osusergo,grpcnotrace
clipboard_replace="replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"
say "$(go version); GOPROXY=$(go env GOPROXY) GOTOOLCHAIN=$(go env GOTOOLCHAIN) GOMODCACHE=$(go env GOMODCACHE)"

# Writes a wrapper module in $1 that requires the module lines in $2 and imports package $3 (so tidy keeps it).
wrapper_module() {
  rm -rf "$1" && mkdir -p "$1"
  printf 'module local/%s\n\ngo 1.20\n\n%s\n\n// From pkg/go.mod (a fork with Windows-only changes); replace lines of dependencies are ignored.\n%s\n' \
    "$(basename "$1")" "$2" "$clipboard_replace" >"$1/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$3" >"$1/tools.go"
}
# Resolves and downloads the module graph of wrapper $1 (the network part), then builds package $2 into $3.tmp;
# the binaries in use are replaced only once every one of them has built (see the end).
download_and_build() {
  local dir=$1 pkg=$2 out=$3 ver=$4 t0 t1
  t0=$(date +%s)
  (cd "$dir" && go mod tidy && go mod download) || return 1
  t1=$(date +%s)
  say "  download (go mod tidy + download): $((t1 - t0))s"
  (cd "$dir" && go build -trimpath -tags "$tags" -ldflags "$(ldflags "$ver")" -o "$out.tmp" "$pkg") || return 1
  say "  build: $(($(date +%s) - t1))s, $(du -h "$out.tmp" | cut -f1) ($(stat -c %s "$out.tmp") bytes)"
}

# 1. The CLI.
say "building the pulumi CLI $want from github.com/pulumi/pulumi/pkg/v3 (several minutes on a cold cache)"
wrapper_module "$build/cli" "require (
	github.com/pulumi/pulumi/pkg/v3 $want
	github.com/pulumi/pulumi/sdk/v3 $want
)" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
download_and_build "$build/cli" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$bin/pulumi" "$want" ||
  die "building the pulumi CLI $want failed (see the go output above)"
got=$("$bin/pulumi.tmp" version 2>&1) || true
[ "$got" = "$want" ] || die "the built CLI reports version '$got', expected $want; the engine in use is unchanged"
say "pulumi CLI built: $got"

# 2. The Node.js language host: the release's own if the proxy serves it, else the official one in sdk/v3@v3.68.0.
host_module=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
host_built=""
commit=$(cd "$build/cli" && go list -m -json "github.com/pulumi/pulumi/pkg/v3@$want" "github.com/pulumi/pulumi/sdk/v3@$want" 2>/dev/null |
  sed -n 's/.*"Hash": "\([0-9a-f]\{40\}\)".*/\1/p' | head -1 || true)
if [ -n "$commit" ]; then
  say "resolving $host_module at the release commit $commit"
  if pseudo=$(cd "$build/cli" && go list -m -f '{{.Version}}' "$host_module@$commit" 2>"$build/host-resolve.log"); then
    say "building the release's Node.js language host $pseudo"
    wrapper_module "$build/host" "require (
	$host_module $pseudo
	github.com/pulumi/pulumi/pkg/v3 $want
	github.com/pulumi/pulumi/sdk/v3 $want
)" "$host_module"
    if download_and_build "$build/host" "$host_module" "$bin/pulumi-language-nodejs" "$want"; then
      host_built="$want ($host_module@$pseudo)"
    else
      say "building $host_module@$pseudo failed; falling back"
    fi
  else
    say "the module proxy does not serve $host_module: $(grep -m1 -o '[45][0-9][0-9] [A-Za-z ]*' "$build/host-resolve.log" || head -c 300 "$build/host-resolve.log")"
  fi
else
  say "could not find the commit of $want in the module proxy's origin data; skipping the release's language host"
fi
if [ -z "$host_built" ]; then
  say "building the official Node.js language host from github.com/pulumi/pulumi/sdk/v3@$fallback_host_version instead"
  wrapper_module "$build/host" "require github.com/pulumi/pulumi/sdk/v3 $fallback_host_version" \
    github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
  download_and_build "$build/host" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
    "$bin/pulumi-language-nodejs" "$fallback_host_version" ||
    die "building the Node.js language host from sdk/v3@$fallback_host_version failed (see the go output above)"
  host_built="$fallback_host_version (github.com/pulumi/pulumi/sdk/v3@$fallback_host_version)"
fi

# Both built: only now replace the binaries in use, together, so a failed rebuild leaves a working pair.
mv -f "$bin/pulumi.tmp" "$bin/pulumi"
mv -f "$bin/pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"

# 3. The dynamic-provider plugin (a shell script that runs @pulumi/pulumi/cmd/dynamic-provider with node).
install_dynamic_provider_plugin
echo "pulumi $want, pulumi-language-nodejs $host_built, pulumi-resource-pulumi-nodejs from @pulumi/pulumi $version" >"$tools/engine.txt"
say "engine ready in $(($(date +%s) - started))s: $(cat "$tools/engine.txt")"
say "binaries: $(du -h "$bin/pulumi" | cut -f1) pulumi, $(du -h "$bin/pulumi-language-nodejs" | cut -f1) pulumi-language-nodejs"
exec bash "$root/scripts/install-languages.sh"
