#!/usr/bin/env bash
# Generates SDKs from the provider plugin's schema with the real `pulumi package gen-sdk`, run from the code-generation
# folder that scripts/install-languages.sh prepares (the CLI beside tools/codegen-host under each language's name).
#
#   scripts/gen-sdk.sh                      regenerate the committed Python SDK, sdk/python/
#   scripts/gen-sdk.sh OUT LANGUAGE...      generate each LANGUAGE (python, go, dotnet, nodejs) into OUT/LANGUAGE
#
# The schema is the one the plugin serves (`pulumi package get-schema bin/pulumi-resource-aqua`, which is
# schema.json as scripts/generate-schema.ts writes it), so the committed SDK is what a user of the plugin would get.
# Fails on any error or warning the CLI prints: its only expected output is "SDK has been written to ...".
# Needs `npm run build` (the plugin runs dist/) and scripts/install-engine.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="${AQUA_PULUMI_DIR:-$root/.tools/pulumi}"
codegen="$tools/codegen"
die() { echo "[gen-sdk] ERROR: $*" >&2; exit 1; }
[ -x "$codegen/pulumi" ] || die "no code generators in $codegen: run scripts/install-engine.sh"
[ -f "$root/dist/provider/plugin/main.js" ] || die "run npm run build first (the plugin runs dist/)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Only the code-generation hosts: nothing from PATH may stand in for them (and none is reported as ambient).
export PULUMI_IGNORE_AMBIENT_PLUGINS=true PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_HOME="$work/home"
# The .NET generator downloads the package's logoUrl into the SDK; the repository holds that same file.
logo_url=$(node -p "require('$root/schema.json').logoUrl")
export CODEGEN_URL_FILES="{\"$logo_url\": \"$root/assets/logo.png\"}"

run() { # runs the CLI: stdout to $work/out.log, stderr to $work/err.log; a failure fails
  if ! (cd "$work" && "$codegen/pulumi" --non-interactive --color never "$@") >"$work/out.log" 2>"$work/err.log"; then
    cat "$work/out.log" "$work/err.log" >&2
    die "pulumi $* failed (above)"
  fi
}
run package get-schema "$root/bin/pulumi-resource-aqua"
[ ! -s "$work/err.log" ] || { cat "$work/err.log" >&2; die "get-schema printed warnings (above)"; }
cp "$work/out.log" "$work/schema.json"

generate() { # language, output folder (the SDK's version is the schema's: language.*.respectSchemaVersion)
  run package gen-sdk "$work/schema.json" --language "$1" --out "$work/sdk-$1"
  if cat "$work/out.log" "$work/err.log" | grep -v -x "SDK has been written to $work/sdk-$1/$1" | grep -q .; then
    cat "$work/out.log" "$work/err.log" >&2
    die "gen-sdk --language $1 printed more than its success line (a warning or an error, above)"
  fi
  rm -rf "$2" && mkdir -p "$(dirname "$2")" && mv "$work/sdk-$1/$1" "$2"
}

if [ $# -eq 0 ]; then
  generate python "$root/sdk/python"
  echo "[gen-sdk] wrote sdk/python"
else
  out=$1
  shift
  [ $# -gt 0 ] || die "name the languages to generate into $out"
  for language in "$@"; do
    generate "$language" "$out/$language"
    echo "[gen-sdk] wrote $out/$language"
  done
fi
