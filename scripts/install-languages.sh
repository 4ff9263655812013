#!/usr/bin/env bash
# Adds the other Pulumi languages to the engine that scripts/install-engine.sh installed (it runs this script at its
# end), each step cached on its own:
#
# 1. The Python language host (bin/pulumi-language-python + its pulumi-language-python-exec shim), beside the CLI as
#    the engine expects bundled hosts. Today's host lives in its own module (sdk/python/cmd/pulumi-language-python/v3)
#    that this workplace's module proxy refuses (403 "This module version is not available"), so, like the Node.js
#    host, it is the official host still inside the served sdk/v3 module at v3.68.0.
# 2. The YAML language host (bin/pulumi-language-yaml) from github.com/pulumi/pulumi-yaml, which the proxy serves.
# 3. The SDK code generators (codegen/): `pulumi package gen-sdk` asks a language host's GeneratePackage, which the
#    v3.68.0 hosts predate and the newer hosts cannot be built here, so tools/codegen-host (the engine's own
#    pkg/v3/codegen generators behind that one RPC) is built once per generator version and linked under each
#    language's host name, beside a hard link (or copy) of the CLI, which looks for bundled hosts next to itself.
#    scripts/gen-sdk.sh runs gen-sdk from there; the hosts that run programs stay untouched.
# 4. A Python virtualenv (python/) with the `pulumi` Python SDK at the CLI's version and the example's clients.
#
# AQUA_PULUMI_DIR (default .tools/pulumi) is the engine's folder; PULUMI_ENGINE_REBUILD=1 rebuilds everything.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="${AQUA_PULUMI_DIR:-$root/.tools/pulumi}"
bin="$tools/bin"
build="$tools/build"
codegen="$tools/codegen"
venv="$tools/python"
say() { echo "[install-languages] $*"; }
die() { echo "[install-languages] ERROR: $*" >&2; exit 1; }
rebuild=${PULUMI_ENGINE_REBUILD:-}

[ -x "$bin/pulumi" ] || die "no CLI in $bin: run scripts/install-engine.sh"
want=$("$bin/pulumi" version)
[[ "$want" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "the CLI in $bin reports version '$want'"

python_host_version=v3.68.0 # the newest release whose sdk/v3 module still holds the Python host
yaml_version=v1.25.0        # pulumi-yaml release (the newest the module proxy serves)
codegen_dotnet_version=v3.106.0 # the newest pkg/v3 the proxy serves that still has codegen/dotnet
python_pins=(openai==3.60.0 oci==2.189.0 parver==0.5 setuptools==80.9.0 wheel==0.45.1)

export CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false"
tags=osusergo,grpcnotrace
clipboard_replace="replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"
mkdir -p "$bin" "$build" "$codegen"

# A wrapper module in $1 requiring the module lines $2 and importing package $3 (so tidy keeps it).
wrapper_module() {
  rm -rf "$1" && mkdir -p "$1"
  printf 'module local/%s\n\ngo 1.20\n\n%s\n\n// From pkg/go.mod (a fork with Windows-only changes).\n%s\n' \
    "$(basename "$1")" "$2" "$clipboard_replace" >"$1/go.mod"
  [ -z "$3" ] || printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$3" >"$1/tools.go"
}
# Downloads the module graph of $1, then builds package $2 (tags $4, ldflags $5) into $3.tmp, timing both.
download_and_build() {
  local dir=$1 pkg=$2 out=$3 buildtags=$4 flags=$5 t0 t1
  t0=$(date +%s)
  (cd "$dir" && go mod tidy && go mod download) || return 1
  t1=$(date +%s)
  say "  download (go mod tidy + download): $((t1 - t0))s"
  (cd "$dir" && go build -trimpath -tags "$buildtags" -ldflags "$flags" -o "$out.tmp" "$pkg") || return 1
  say "  build: $(($(date +%s) - t1))s, $(du -h "$out.tmp" | cut -f1)"
}
version_ldflags() { echo "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$1"; }

# 1. Python language host.
if [ "$rebuild" = 1 ] || [ ! -x "$bin/pulumi-language-python" ] || [ ! -x "$bin/pulumi-language-python-exec" ]; then
  release_module=github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3
  if ! (cd "$build" && go list -m -versions "$release_module" >"$build/python-host-resolve.log" 2>&1); then
    say "the module proxy does not serve $release_module: $(grep -m1 -o '[45][0-9][0-9] [A-Za-z ]*' "$build/python-host-resolve.log" || head -c 200 "$build/python-host-resolve.log")"
  fi
  say "building the Python language host from github.com/pulumi/pulumi/sdk/v3@$python_host_version"
  pkg=github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python
  wrapper_module "$build/python-host" "require github.com/pulumi/pulumi/sdk/v3 $python_host_version" "$pkg"
  download_and_build "$build/python-host" "$pkg" "$bin/pulumi-language-python" "$tags" \
    "$(version_ldflags "$python_host_version")" || die "building the Python language host failed (see above)"
  sdk_dir=$(cd "$build/python-host" && go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")
  install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
  mv -f "$bin/pulumi-language-python.tmp" "$bin/pulumi-language-python"
else
  say "pulumi-language-python already in $bin"
fi

# 2. YAML language host.
if [ "$rebuild" = 1 ] || [ ! -x "$bin/pulumi-language-yaml" ]; then
  say "building the YAML language host from github.com/pulumi/pulumi-yaml@$yaml_version (its own pkg/v3: minutes on a cold cache)"
  pkg=github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
  wrapper_module "$build/yaml-host" "require github.com/pulumi/pulumi-yaml $yaml_version" "$pkg"
  download_and_build "$build/yaml-host" "$pkg" "$bin/pulumi-language-yaml" "$tags" \
    "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$yaml_version" ||
    die "building the YAML language host failed (see above)"
  mv -f "$bin/pulumi-language-yaml.tmp" "$bin/pulumi-language-yaml"
else
  say "pulumi-language-yaml already in $bin"
fi

# 3. SDK code generators, beside a link to the CLI.
if [ "$rebuild" = 1 ] || [ "$("$codegen/pulumi" version 2>/dev/null || true)" != "$want" ] ||
  [ "$(cat "$codegen/codegen.txt" 2>/dev/null || true)" != "$(cat "$root"/tools/codegen-host/*.go | sha256sum)" ]; then
  say "building the SDK code generators (tools/codegen-host): pkg/v3@$want for Python, Go and Node.js"
  wrapper_module "$build/codegen" "require (
	github.com/pulumi/pulumi/pkg/v3 $want
	github.com/pulumi/pulumi/sdk/v3 $want
)" ""
  cp "$root/tools/codegen-host/main.go" "$root/tools/codegen-host/gen_current.go" "$build/codegen/"
  download_and_build "$build/codegen" . "$codegen/codegen-host" "" "-s -w -X main.version=$want" ||
    die "building tools/codegen-host against pkg/v3@$want failed (see above)"
  say "building the .NET code generator: pkg/v3@$codegen_dotnet_version (the newest served with codegen/dotnet)"
  wrapper_module "$build/codegen-dotnet" "require (
	github.com/pulumi/pulumi/pkg/v3 $codegen_dotnet_version
	github.com/pulumi/pulumi/sdk/v3 $codegen_dotnet_version
)" ""
  cp "$root/tools/codegen-host/main.go" "$root/tools/codegen-host/gen_dotnet.go" "$build/codegen-dotnet/"
  download_and_build "$build/codegen-dotnet" . "$codegen/codegen-host-dotnet" legacydotnet \
    "-s -w -X main.version=$codegen_dotnet_version" ||
    die "building tools/codegen-host against pkg/v3@$codegen_dotnet_version failed (see above)"
  mv -f "$codegen/codegen-host.tmp" "$codegen/codegen-host"
  mv -f "$codegen/codegen-host-dotnet.tmp" "$codegen/codegen-host-dotnet"
  for language in python go nodejs; do ln -f "$codegen/codegen-host" "$codegen/pulumi-language-$language"; done
  ln -f "$codegen/codegen-host-dotnet" "$codegen/pulumi-language-dotnet"
  # The CLI finds bundled hosts next to its own (symlink-resolved) path, so this is a hard link or a copy.
  rm -f "$codegen/pulumi"
  ln "$(readlink -f "$bin/pulumi")" "$codegen/pulumi" 2>/dev/null || cp "$(readlink -f "$bin/pulumi")" "$codegen/pulumi"
  cat "$root"/tools/codegen-host/*.go | sha256sum >"$codegen/codegen.txt"
else
  say "SDK code generators already in $codegen"
fi

# 4. Python virtualenv.
venv_stamp="pulumi==${want#v} ${python_pins[*]}"
if [ "$rebuild" = 1 ] || [ "$(cat "$venv/installed.txt" 2>/dev/null || true)" != "$venv_stamp" ] ||
  ! "$venv/bin/python" -c 'import pulumi, openai, oci' 2>/dev/null; then
  command -v python3 >/dev/null 2>&1 || die "Python 3 is needed for the Python examples (apt-get install python3-venv)"
  t0=$(date +%s)
  say "creating the Python virtualenv $venv: pulumi==${want#v} ${python_pins[*]}"
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "pulumi==${want#v}" "${python_pins[@]}" || die "pip install into $venv failed"
  echo "$venv_stamp" >"$venv/installed.txt"
  say "  virtualenv: $(($(date +%s) - t0))s"
else
  say "Python virtualenv already in $venv"
fi
