"""Drives oracle-ads 2.16.1's own AquaDeploymentApp.create(deployment_type="STACKED", ...) and .update(...) (one base
model plus LoRA adapters in one vLLM) through each case of tests/fixtures/stacked/cases.json, and writes what ADS put
on the wire to tests/fixtures/stacked/ads-2.16.1-expected.json.

The fake OCI, the auth plumbing and the frozen clocks are the Model Group parity's (../model-group/replay.py,
loaded as a module), so both fixtures come from the same in-memory OCI and the same catalog world: only the SDK's
HTTP session is answered; ADS and the SDK's serialization run unchanged.

Dev-only (not in CI), see README.md beside this file.
"""
import importlib.util
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CASES = os.path.join(ROOT, "tests", "fixtures", "stacked", "cases.json")
OUT = os.path.join(ROOT, "tests", "fixtures", "stacked", "ads-2.16.1-expected.json")


def load_model_group_replay():
    spec = importlib.util.spec_from_file_location("model_group_replay", os.path.join(HERE, "..", "model-group", "replay.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bodies(fake, method, suffix):
    return [c["body"] for c in fake.calls if c["method"] == method and c["path"].endswith(suffix)]


def run_case(mg, fake, case):
    from ads.aqua.modeldeployment.deployment import AquaDeploymentApp

    mg.clear_ads_caches()
    fake.reset(case["name"])
    result = {"description": case["description"]}
    try:
        created = AquaDeploymentApp().create(**case["create"])
        result["createModelGroupDetails"] = bodies(fake, "POST", "/modelGroups")[0]
        result["createModelDeploymentDetails"] = bodies(fake, "POST", "/modelDeployments")[0]
        result["ociCalls"] = mg.calls_of_main_flow(fake)
        result["returned"] = {"model_id": created.model_id, "state": created.state}
    except Exception as error:  # ADS refusing the input is an expected outcome for some cases
        result["error"] = str(error)
        result["errorType"] = type(error).__name__
        if case.get("expect") != "error":
            traceback.print_exc()
    if "update" in case and "error" not in result:
        fake.calls = []
        mg.clear_ads_caches()
        try:
            AquaDeploymentApp().update(created.id, **case["update"])
            groups = bodies(fake, "POST", "/modelGroups")
            puts = [c for c in fake.calls if c["method"] == "PUT"]
            result["update"] = {
                "createModelGroupDetails": groups[0] if groups else None,
                "updateModelDeploymentDetails": puts[0]["body"],
                "updateModelDeploymentQuery": puts[0].get("query"),
                "ociCalls": mg.calls_of_main_flow(fake),
            }
        except Exception as error:
            result["update"] = {"error": str(error), "errorType": type(error).__name__}
            if case.get("expectUpdate") != "error":
                traceback.print_exc()
    unexpected = (case.get("expect") == "error") != ("error" in result) or (
        "update" in case and "error" not in result and (case.get("expectUpdate") == "error") != ("error" in result["update"])
    )
    if unexpected:
        print(f"case {case['name']}: unexpected outcome", file=sys.stderr)
        result["unexpected"] = True
    return result


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Custom metadata travels in a set hashed by key: pin the seed so the fixture is stable (compare by key).
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    mg = load_model_group_replay()
    spec = json.load(open(CASES))
    world = json.load(open(os.path.join(os.path.dirname(CASES), spec["world"])))["world"]
    os.environ.setdefault("CONDA_BUCKET_NS", world["namespace"])
    os.environ.setdefault("TELEMETRY_OPT_OUT", "1")
    import ads

    ads.set_auth("api_key", oci_config_location=mg.write_throwaway_oci_config(world["region"]), profile="DEFAULT")
    fake = mg.FakeOci(world)
    mg.install_fake(fake)
    mg.freeze_clocks(spec["frozenDate"])

    from importlib.metadata import version

    results = {}
    for case in spec["cases"]:
        results[case["name"]] = run_case(mg, fake, case)
        r = results[case["name"]]
        status = "error: " + r["error"][:90] if "error" in r else "ok"
        if isinstance(r.get("update"), dict) and "error" in r["update"]:
            status += "; update error: " + r["update"]["error"][:90]
        print(f"{case['name']}: {status}", file=sys.stderr)
    output = {
        "generatedBy": "scripts/ads-parity/stacked/replay.py",
        "oracleAds": version("oracle-ads"),
        "oci": version("oci"),
        "frozenDate": spec["frozenDate"],
        "note": "Bodies are the JSON the OCI Python SDK sent (sanitize_for_serialization + json.dumps), parsed back. "
        "Resource OCIDs are the fake's. AQUA_TELEMETRY_BUCKET_NS is CONDA_BUCKET_NS (the world's namespace).",
        "cases": results,
    }
    with open(OUT, "w") as f:
        json.dump(output, f, indent=2, ensure_ascii=False)
        f.write("\n")
    unexpected = [name for name, r in results.items() if r.get("unexpected")]
    print(f"{len(results)} cases written to {os.path.relpath(OUT, ROOT)}; unexpected outcomes: {unexpected or 'none'}", file=sys.stderr)
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
