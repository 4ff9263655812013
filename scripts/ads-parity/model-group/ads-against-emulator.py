"""Runs oracle-ads 2.16.1's own AquaDeploymentApp().create(...), .get(id) and .list(compartment_id) for a Model Group
multi-model deployment against a running aqua-emulator (dev-only, not in CI; see README.md beside this file).

Starts nothing itself. It reads the emulator's info file (<dataDir>/emulator-info.json) and points ADS at it by
endpoint and auth only:
- ads.set_auth("api_key", oci_config_location=<configFile>, profile=<profile>, client_kwargs={"service_endpoint": ...})
  so every OCI SDK client ADS builds through its client factory talks to the emulator;
- OCI SDK client constructors (oci.data_science.DataScienceClient, oci.object_storage.ObjectStorageClient, and any
  other oci.*Client ADS or ocifs builds directly) get service_endpoint=<endpoint> when the caller did not give one;
- environment variables ADS reads: CONDA_BUCKET_NS, COMPARTMENT_OCID, PROJECT_OCID, NB_REGION / OCI_REGION_METADATA
  are not set; TELEMETRY_OPT_OUT=1 keeps ADS's telemetry off the emulator.
ADS's business logic is not touched.

  python ads-against-emulator.py --info /tmp/emu/emulator-info.json --out /tmp/ads-summary.json [--no-lora]
"""
import argparse
import json
import os
import sys
import time
import traceback

MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01"
FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b"
MISTRAL_LORA = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bsqllora"


def point_ads_at(info):
    """Endpoint and auth plumbing only."""
    endpoint = info["endpoint"]
    os.environ["CONDA_BUCKET_NS"] = info["namespace"]
    os.environ["COMPARTMENT_OCID"] = info["compartmentId"]
    os.environ["PROJECT_OCID"] = info["projectId"]
    os.environ.setdefault("TELEMETRY_OPT_OUT", "1")

    import oci

    # Every oci.<service>.<X>Client takes service_endpoint; give it the emulator's unless the caller chose one.
    patched = []
    for module_name in ("data_science", "object_storage", "logging", "identity", "limits", "core", "resource_search"):
        module = getattr(oci, module_name, None)
        if module is None:
            continue
        for attr in dir(module):
            cls = getattr(module, attr)
            if not (isinstance(cls, type) and attr.endswith("Client") and "__init__" in cls.__dict__):
                continue
            original = cls.__init__

            def init(self, config, _original=original, **kwargs):
                if not kwargs.get("service_endpoint"):
                    kwargs["service_endpoint"] = endpoint
                _original(self, config, **kwargs)

            cls.__init__ = init
            patched.append(f"oci.{module_name}.{attr}")

    import ads

    ads.set_auth("api_key", oci_config_location=info["configFile"], profile=info["profile"],
                 client_kwargs={"service_endpoint": endpoint})
    return patched


def wait_active(deployment_id, timeout_s):
    """Polls the emulator (GetModelDeployment through the SDK client ADS would use) until ACTIVE or FAILED."""
    from ads.common.oci_client import OCIClientFactory
    import ads.common.auth as auth

    client = OCIClientFactory(**auth.default_signer()).data_science
    deadline = time.time() + timeout_s
    states = []
    while True:
        state = client.get_model_deployment(deployment_id).data.lifecycle_state
        if not states or states[-1] != state:
            states.append(state)
            print(f"  {deployment_id}: {state}", file=sys.stderr)
        if state in ("ACTIVE", "FAILED", "DELETED") or time.time() > deadline:
            return states
        time.sleep(1)


def describe_detail(detail):
    out = {
        "id": detail.id,
        "display_name": detail.display_name,
        "state": detail.state,
        "model_id": detail.model_id,
        "shape": detail.shape_info.instance_shape if getattr(detail, "shape_info", None) else None,
        "endpoint": getattr(detail, "endpoint", None),
        "aqua_model_name": detail.aqua_model_name,
        "tags": detail.tags,
        "models": [],
    }
    for model in getattr(detail, "models", None) or []:
        entry = {"model_id": model.model_id, "model_name": model.model_name, "gpu_count": model.gpu_count}
        if model.fine_tune_weights:
            entry["fine_tune_weights"] = [{"model_id": ft.model_id, "model_name": ft.model_name} for ft in model.fine_tune_weights]
        out["models"].append(entry)
    return out


def run_variant(name, create_kwargs, info, timeout_s):
    from ads.aqua.modeldeployment.deployment import AquaDeploymentApp

    result = {"variant": name, "create": {k: v for k, v in create_kwargs.items()}}
    try:
        created = AquaDeploymentApp().create(**create_kwargs)
        result["created"] = describe_detail(created)
        print(f"[{name}] create -> {created.id} group {created.model_id} state {created.state}", file=sys.stderr)
        result["states"] = wait_active(created.id, timeout_s)
        got = AquaDeploymentApp().get(created.id)
        result["get"] = describe_detail(got)
        print(f"[{name}] get -> {json.dumps(result['get'])}", file=sys.stderr)
        listed = AquaDeploymentApp().list(compartment_id=info["compartmentId"])
        result["list"] = [
            {"id": d.id, "display_name": d.display_name, "state": d.state, "model_id": d.model_id,
             "aqua_model_name": d.aqua_model_name,
             "models": [m.model_name for m in (d.models or [])]}
            for d in listed
        ]
        print(f"[{name}] list -> {json.dumps(result['list'])}", file=sys.stderr)
        result["deploymentId"] = created.id
        result["modelGroupId"] = created.model_id
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"
        result["traceback"] = traceback.format_exc()
        traceback.print_exc()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--info", required=True, help="<dataDir>/emulator-info.json of a running emulator")
    parser.add_argument("--out", required=True, help="JSON summary to write")
    parser.add_argument("--no-lora", action="store_true", help="skip the variant with the seeded LoRA fine-tune")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for ACTIVE")
    args = parser.parse_args()

    info = json.load(open(args.info))
    patched = point_ads_at(info)

    from importlib.metadata import version

    common = dict(instance_shape="VM.GPU.A10.2", compartment_id=info["compartmentId"], project_id=info["projectId"])
    variants = [
        ("two-base", dict(models=[{"model_id": MISTRAL, "gpu_count": 1}, {"model_id": FALCON, "gpu_count": 1}],
                          display_name="ads-against-emulator two-base", **common)),
    ]
    if not args.no_lora:
        variants.append(
            ("mistral-with-lora", dict(models=[
                {"model_id": MISTRAL, "gpu_count": 1, "fine_tune_weights": [{"model_id": MISTRAL_LORA}]},
                {"model_id": FALCON, "gpu_count": 1},
            ], display_name="ads-against-emulator mistral-with-lora", **common)))

    summary = {
        "generatedBy": "scripts/ads-parity/model-group/ads-against-emulator.py",
        "oracleAds": version("oracle-ads"),
        "oci": version("oci"),
        "endpoint": info["endpoint"],
        "patchedClients": patched,
        "variants": [run_variant(name, kwargs, info, args.timeout) for name, kwargs in variants],
    }
    ok = [v for v in summary["variants"] if "deploymentId" in v]
    summary["deploymentId"] = ok[0]["deploymentId"] if ok else None
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2, default=str)
        f.write("\n")
    for v in summary["variants"]:
        print(f"{v['variant']}: {'ok ' + v['deploymentId'] if 'deploymentId' in v else v['error'][:300]}", file=sys.stderr)
    sys.exit(0 if len(ok) == len(summary["variants"]) else 1)


if __name__ == "__main__":
    main()
