# Source this file (`. scripts/pulumi-env.sh`) to use the engine that scripts/install-engine.sh put in
# .tools/pulumi/bin: it goes first on PATH, with no update check and no automatic plugin downloads (none are
# reachable here; the Node.js language host and the dynamic-provider plugin are in .tools/pulumi/bin).
# PULUMI_HOME defaults to .tools/pulumi-home so the engine keeps its workspace files inside the repository
# (gitignored); set PULUMI_HOME before sourcing to keep your own.
_pulumi_env_root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
_pulumi_env_bin="${AQUA_PULUMI_DIR:-$_pulumi_env_root/.tools/pulumi}/bin"
case ":$PATH:" in
  *":$_pulumi_env_bin:"*) ;;
  *) export PATH="$_pulumi_env_bin:$PATH" ;;
esac
export PULUMI_HOME="${PULUMI_HOME:-$_pulumi_env_root/.tools/pulumi-home}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
unset _pulumi_env_root _pulumi_env_bin
