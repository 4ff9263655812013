#!/usr/bin/env bash
# Prints what a reviewer sees in `pulumi preview --diff` for three pull requests against a live multi-model
# deployment: a GPU-count change (update in place), a display name change (update) and a project change (replace).
# Runs the e2e program on the real engine against a fresh emulator; used to write examples/gitops-review/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "$root/.aqua/gitops-XXXX")
export PATH="$root/.tools/pulumi/bin:$PATH" PULUMI_BACKEND_URL="file://$work/state" PULUMI_CONFIG_PASSPHRASE=gitops PULUMI_SKIP_UPDATE_CHECK=true
mkdir -p "$work/state" "$work/project"
node "$root/dist/emulator/cli.js" start --port 0 --data-dir "$work/emulator" > "$work/emulator.out" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -f "$work/emulator/emulator-info.json" ] && break; sleep 0.2; done
info() { node -p "require('$work/emulator/emulator-info.json').$1"; }
cd "$work/project"
printf 'name: gitops-review\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: %s\n' "$root/dist/tests/e2e/program/index.js" > Pulumi.yaml
pulumi stack init review --non-interactive >/dev/null
for key in endpoint configFile profile compartmentId projectId; do pulumi config set "aqua:$key" "$(info "$key")" >/dev/null; done
deployment() { pulumi config set e2e:deployment "$1" >/dev/null; }
coder=ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b
llama=ocid1.datasciencemodel.oc1.iad.amaaaaaallama318b
deployment "{\"displayName\":\"team-llms\",\"instanceShape\":\"BM.GPU.A10.4\",\"models\":[{\"modelId\":\"$llama\",\"gpuCount\":1},{\"modelId\":\"$coder\",\"gpuCount\":1}]}"
pulumi up --yes --non-interactive >/dev/null
show() { echo "### $1"; echo; echo '```'; pulumi preview --diff --non-interactive 2>&1 | sed -e "s|$work|<work>|g" -e 's/\x1b\[[0-9;]*m//g'; echo '```'; echo; }
deployment "{\"displayName\":\"team-llms\",\"instanceShape\":\"BM.GPU.A10.4\",\"models\":[{\"modelId\":\"$llama\",\"gpuCount\":2},{\"modelId\":\"$coder\",\"gpuCount\":1}]}"
show "A GPU-count change: update in place (same OCID, same endpoint)"
deployment "{\"displayName\":\"team-llms-v2\",\"instanceShape\":\"BM.GPU.A10.4\",\"models\":[{\"modelId\":\"$llama\",\"gpuCount\":1},{\"modelId\":\"$coder\",\"gpuCount\":1}]}"
show "A display name change: update"
deployment "{\"displayName\":\"team-llms\",\"instanceShape\":\"BM.GPU.A10.4\",\"projectId\":\"ocid1.datascienceproject.oc1.iad.aquaemusecond\",\"models\":[{\"modelId\":\"$llama\",\"gpuCount\":1},{\"modelId\":\"$coder\",\"gpuCount\":1}]}"
show "A project change: replace (a new OCID and endpoint; created before the old one is deleted)"
deployment "{\"displayName\":\"team-llms\",\"instanceShape\":\"BM.GPU.A10.4\",\"models\":[{\"modelId\":\"$llama\",\"gpuCount\":1},{\"modelId\":\"$coder\",\"gpuCount\":1}]}"
pulumi destroy --yes --non-interactive >/dev/null
