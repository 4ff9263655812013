"""Runs oracle-ads 2.16.1's own AquaDeploymentApp().create(deployment_type="STACKED", ...), .update(id, models=[...])
(an adapter added, LIVE) and .get(id) against a running aqua-emulator (dev-only, not in CI; see README.md here).

Endpoint and auth plumbing are the Model Group script's (../model-group/ads-against-emulator.py, loaded as a module):
ADS's business logic is not touched. Writes a JSON summary: what create/update/get returned, the states seen, and the
deployment and group OCIDs, so our hooks can be pointed at what ADS made.

  python ads-against-emulator.py --info /tmp/emu/emulator-info.json --out /tmp/ads-stacked.json
"""
import argparse
import importlib.util
import json
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("mg_against", os.path.join(HERE, "..", "model-group", "ads-against-emulator.py"))
mg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mg)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--info", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    info = json.load(open(args.info))
    patched = mg.point_ads_at(info)
    from importlib.metadata import version
    from ads.aqua.modeldeployment.deployment import AquaDeploymentApp
    from ads.common.oci_client import OCIClientFactory
    import ads.common.auth as auth

    client = OCIClientFactory(**auth.default_signer()).data_science
    summary = {"generatedBy": "scripts/ads-parity/stacked/ads-against-emulator.py", "oracleAds": version("oracle-ads"),
               "oci": version("oci"), "endpoint": info["endpoint"], "patchedClients": patched}
    ok = False
    try:
        created = AquaDeploymentApp().create(
            deployment_type="STACKED", instance_shape="VM.GPU.A10.2", display_name="ads stacked",
            compartment_id=info["compartmentId"], project_id=info["projectId"],
            models=[{"model_id": mg.MISTRAL, "model_name": "mistral-base"}])
        summary["created"] = {"id": created.id, "model_id": created.model_id, "state": created.state}
        summary["createStates"] = mg.wait_active(created.id, args.timeout)
        first_group = client.get_model_deployment(created.id).data.model_deployment_configuration_details.model_group_configuration_details.model_group_id
        AquaDeploymentApp().update(created.id, models=[{"model_id": mg.MISTRAL, "model_name": "mistral-base",
                                                        "fine_tune_weights": [{"model_id": mg.MISTRAL_LORA, "model_name": "sql-helper"}]}])
        summary["updateStates"] = mg.wait_active(created.id, args.timeout)
        md = client.get_model_deployment(created.id).data
        group_id = md.model_deployment_configuration_details.model_group_configuration_details.model_group_id
        group = client.get_model_group(group_id).data
        summary["afterUpdate"] = {
            "sameDeployment": md.id == created.id, "endpoint": md.model_deployment_url, "firstGroup": first_group,
            "group": group_id, "groupType": group.model_group_details.type,
            "members": [{"modelId": m.model_id, "inferenceKey": m.inference_key} for m in group.member_model_entries.member_model_details],
            "params": md.model_deployment_configuration_details.environment_configuration_details.environment_variables.get("PARAMS"),
        }
        got = AquaDeploymentApp().get(created.id)
        summary["get"] = {"id": got.id, "state": got.state, "model_id": got.model_id, "tags": got.tags}
        summary["deploymentId"] = created.id
        ok = summary["createStates"][-1] == "ACTIVE" and summary["updateStates"][-1] == "ACTIVE"
    except Exception as error:
        summary["error"] = f"{type(error).__name__}: {error}"
        traceback.print_exc()
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2, default=str)
        f.write("\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "patchedClients"}, indent=1, default=str), file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
