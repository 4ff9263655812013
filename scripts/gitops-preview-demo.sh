#!/usr/bin/env bash
# Writes examples/gitops-review/README.md from real output: what a reviewer sees in `pulumi preview --diff` (and
# `--json`) for four pull requests against a live two-model deployment, through the provider plugin host: a GPU-count
# change, a shape change, a project change, and a change the policy pack refuses. Runs the plugin e2e program
# (tests/e2e/program-plugin) on the real engine in .tools/pulumi against a fresh emulator; needs `npm run build`.
# Usage: bash scripts/gitops-preview-demo.sh [output file, default examples/gitops-review/README.md]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/examples/gitops-review/README.md}
mkdir -p "$root/.aqua"
work=$(mktemp -d "$root/.aqua/gitops-XXXX")
export PATH="$root/.tools/pulumi/bin:$PATH" PULUMI_BACKEND_URL="file://$work/state" PULUMI_CONFIG_PASSPHRASE=gitops \
  PULUMI_SKIP_UPDATE_CHECK=true PULUMI_HOME="$work/pulumi-home" PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
mkdir -p "$work/state" "$work/project"
node "$root/dist/emulator/cli.js" start --port 0 --data-dir "$work/emulator" >"$work/emulator.out" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -f "$work/emulator/emulator-info.json" ] && break; sleep 0.2; done
info() { node -p "require('$work/emulator/emulator-info.json').$1"; }
cd "$work/project"
cat >Pulumi.yaml <<EOF
name: gitops-review
runtime:
  name: nodejs
  options:
    typescript: false
main: $root/dist/tests/e2e/program-plugin/index.js
plugins:
  providers:
    - name: aqua
      path: $(realpath --relative-to="$work/project" "$root/bin")
EOF
pulumi stack init review --non-interactive >/dev/null
for key in endpoint configFile profile compartmentId projectId; do pulumi config set "aqua:$key" "$(info "$key")" >/dev/null; done
coder=ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b
llama=ocid1.datasciencemodel.oc1.iad.amaaaaaallama318b
# $1 shape, $2 llama GPUs, $3 coder --max-model-len, $4 extra JSON members
deployment() {
  pulumi config set e2e:deployment "{\"modelStore\":\"aggregateModel\",\"displayName\":\"team-llms\",\"instanceShape\":\"$1\",\"models\":[{\"modelId\":\"$coder\",\"gpuCount\":1,\"params\":{\"--max-model-len\":\"$3\"}},{\"modelId\":\"$llama\",\"gpuCount\":$2}]$4}" >/dev/null
}
# The run's scratch paths out; the test program's two optional evaluation outputs (unset here) are not the product's.
clean() { sed -e "s|$work|<work>|g" -e 's/\x1b\[[0-9;]*m//g' -e '/Undefined value (evaluation/d'; }
fence() { echo '```'"${1:-}"; cat; echo '```'; echo; }
preview() { pulumi preview --diff --non-interactive "$@" 2>&1 | clean; }
# The review-relevant part of `pulumi preview --json`: each step's paths and kinds, and the deployment's messages.
json_excerpt() {
  pulumi preview --json --non-interactive 2>/dev/null | node -e '
    const digest = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const steps = digest.steps.filter((s) => s.urn.endsWith("::llms"))
      .map(({ op, urn, diffReasons, replaceReasons, detailedDiff }) => ({ op, urn, diffReasons, replaceReasons, detailedDiff }));
    const diagnostics = (digest.diagnostics ?? []).filter((d) => (d.urn ?? "").endsWith("::llms"))
      .map(({ severity, message }) => ({ severity, message: message.trim() }));
    console.log(JSON.stringify({ steps, diagnostics }, null, 2));'
}

deployment VM.GPU.A10.2 1 4096 ""
pulumi up --yes --non-interactive >/dev/null

# The shipped policy pack as users run it; where this engine's language host cannot start a Node pack (RunPlugin
# "not supported", see scripts/install-engine.sh), the same compiled pack through the CLI's
# pulumi-analyzer-policy-<runtime> path, as tests/e2e/policy-pack.test.ts does.
echo '{"aqua-max-gpus-per-deployment":{"maxGpus":2}}' >"$work/policy.json"
pack="$root/policy"
policy_note=""
if blocker=$({ pulumi preview --non-interactive --policy-pack "$pack" --policy-pack-config "$work/policy.json" 2>&1 || true; } |
  sed -e "s|$root/|<pulumi-aqua>/|g" | grep -o 'policy pack .* failed to start: could not read plugin .*: not supported'); then
  pack="$work/policy-pack"
  mkdir -p "$pack" "$work/bin"
  sed 's/name: nodejs/name: aquapolicy/' "$root/policy/PulumiPolicy.yaml" >"$pack/PulumiPolicy.yaml"
  printf '{"name":"pulumi-aqua-policy","version":"0.1.0","private":true,"main":"%s"}\n' "$root/dist/policy/index.js" >"$pack/package.json"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$root/node_modules/@pulumi/pulumi/cmd/run-policy-pack" >"$work/bin/pulumi-analyzer-policy-aquapolicy"
  chmod +x "$work/bin/pulumi-analyzer-policy-aquapolicy"
  export PATH="$work/bin:$PATH"
  policy_note="(This engine's Node language host cannot start a policy pack: \`$blocker\`. The page runs the same compiled pack through the CLI's \`pulumi-analyzer-policy-<runtime>\` path; with a current \`pulumi-language-nodejs\`, \`--policy-pack node_modules/pulumi-aqua/policy\` runs it as is.)"
fi

{
  cat <<'EOF'
# What a reviewer sees: `pulumi preview --diff` in a pull request

Four pull requests against a live two-model deployment (Qwen2.5-Coder-7B and Llama-3.1-8B, one GPU each on
`VM.GPU.A10.2`, the aggregate-model form), previewed through the provider plugin host (`pulumi-aqua/plugin`, the
host to use for reviews: see the README's "Reviewing a change"). Everything below is real output:
`bash scripts/gitops-preview-demo.sh` produced this page (the real engine, the plugin e2e program, a fresh emulator)
and reproduces it. What to look for:

- a **GPU-count change** is an **update in place** (same OCID, same endpoint); the diff names the model and the flag
  (`models[1].gpuCount`, `models[0].params["--max-model-len"]`), the messages give the new `MULTI_MODEL_CONFIG` and
  the cost delta;
- a **shape change** is an update too; the cost line says what it adds per month, and the provider warns about
  GPUs that would idle while billed;
- a **project change** is the one **replace** (`+-`, kind `update-replace`): OCI cannot move a deployment between
  projects, so a new one (new OCID and endpoint URL) is created before the old one is deleted;
- the **policy pack** fails a preview whose deployment exceeds the GPU cap, naming the resource, the rule and the fix.

The warnings and messages come from the provider in preview, before anything is written to OCI; on a terminal they
print below the diff (stderr).

EOF
  deployment BM.GPU.A10.4 2 8192 ""
  echo "## A GPU-count change: update in place, the new MULTI_MODEL_CONFIG and the cost delta"
  echo
  echo 'Llama-3.1-8B goes to 2 GPUs (so the shape goes to `BM.GPU.A10.4`) and the coder'"'"'s context to 8192 tokens.'
  echo
  preview | fence
  echo 'The same preview as `pulumi preview --json` reports it (the deployment'"'"'s step and messages):'
  echo
  json_excerpt | fence json
  deployment BM.GPU.A10.4 1 4096 ""
  echo "## A shape change: update in place, and what it costs"
  echo
  echo 'Only the shape changes, to `BM.GPU.A10.4`: the same models on the same GPU counts, two GPUs idle.'
  echo
  preview | fence
  deployment VM.GPU.A10.2 1 4096 ",\"projectId\":\"ocid1.datascienceproject.oc1.iad.aquaemusecond\""
  echo "## A project change: replace (a new OCID and endpoint, created before the old one is deleted)"
  echo
  preview | fence
  json_excerpt | fence json
  deployment BM.GPU.A10.4 2 4096 ""
  echo "## A change the policy pack refuses: the preview fails"
  echo
  echo 'Policy config `{"aqua-max-gpus-per-deployment": {"maxGpus": 2}}`; the pull request moves to `BM.GPU.A10.4` (4 GPUs):'
  echo
  (pulumi preview --diff --non-interactive --policy-pack "$pack" --policy-pack-config "$work/policy.json" 2>&1 || echo "(exit status $?)") |
    clean | sed -e "s|$pack|<policy pack>|g" | fence
  [ -z "$policy_note" ] || { echo "$policy_note"; echo; }
} >"$out.tmp"
deployment VM.GPU.A10.2 1 4096 ""
pulumi destroy --yes --non-interactive >/dev/null
mv -f "$out.tmp" "$out"
# The repository's formatter also formats the page's JSON blocks; run it so the page is checked in as it would leave it.
(cd "$root" && npx biome check --write "$out" >/dev/null 2>&1) || true
echo "wrote $out"
