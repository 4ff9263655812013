"""Runs oracle-ads 2.13.5 (the seed's version) and the OCI CLI, unpatched, against a running aqua-emulator: the seed's
walk-through call by call (dev-only, not in CI; see README.md beside this file).

Only endpoint and auth are plumbed, exactly as for ADS 2.16.1 in ../model-group/ads-against-emulator.py:
ads.set_auth("api_key", <configFile>, <profile>, client_kwargs={"service_endpoint": <endpoint>}), every
oci.<service>.*Client gets service_endpoint=<endpoint> when its caller gave none, and the environment ADS reads
(CONDA_BUCKET_NS, COMPARTMENT_OCID, PROJECT_OCID, TELEMETRY_OPT_OUT). The OCI CLI gets --endpoint, --config-file and
--profile on its command line. ADS's and the CLI's logic are not touched.

Calls, in the seed's order: list_shapes; get_multimodel_deployment_config without and with primary_model_id;
create (completions) and create (chat: MODEL_DEPLOY_PREDICT_ENDPOINT=/v1/chat/completions); list; get; the OCI CLI's
model-deployment get/list and raw-request predict on both; evaluation create on the completions deployment;
get of a deployment our hooks made (--ours, from make-ours.js), compared with what we recorded; delete of all.

  python ads213-against-emulator.py --info <dataDir>/emulator-info.json --out summary.json [--ours ours.json]
Exit code 0 only when every call succeeded and ADS read our deployment as we made it.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
import traceback

MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01"
FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b"
SEED_IMAGE = "dsmc://odsc-vllm-serving:0.6.4.post1.2"


# The endpoint and auth plumbing of the ADS 2.16.1 driver, shared (it imports ads last, after the environment is set).
_spec = importlib.util.spec_from_file_location(
    "mg_against", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model-group", "ads-against-emulator.py"))
_model_group_driver = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_model_group_driver)


def point_ads_at(info):
    """The model-group driver's plumbing, plus what ADS 2.13 alone needs (both set before ADS is imported)."""
    endpoint = info["endpoint"]
    # A notebook session's own variable: ADS 2.13 takes its default compartment from it (ads/config.py), and the seed's
    # CLI calls (get_multimodel_deployment_config) name no compartment.
    os.environ["NB_SESSION_COMPARTMENT_OCID"] = info["compartmentId"]
    # ocifs (ADS 2.13 reads configs and the container index through it) builds its own ObjectStorageClient subclass
    # with the region's public endpoint; ADS hands it no endpoint. The same endpoint plumbing, one class more.
    from ocifs.data_lake import lake_sharing_object_storage_client as lake

    original_lake = lake.LakeSharingObjectStorageClient.__init__

    def lake_init(self, config, **kwargs):
        if not kwargs.get("service_endpoint") or "oraclecloud" in kwargs["service_endpoint"]:
            kwargs["service_endpoint"] = endpoint
        original_lake(self, config, **kwargs)

    lake.LakeSharingObjectStorageClient.__init__ = lake_init
    return _model_group_driver.point_ads_at(info) + ["ocifs LakeSharingObjectStorageClient"]


class Run:
    """Records each call: its result (made JSON-able) or its error; `ok` is false after any error."""

    def __init__(self):
        self.calls = []
        self.ok = True

    def call(self, name, fn):
        started = time.time()
        try:
            value = fn()
            self.calls.append({"call": name, "ok": True, "seconds": round(time.time() - started, 2),
                               "result": jsonable(value)})
            print(f"ok   {name}", file=sys.stderr)
            return value
        except Exception as error:  # noqa: BLE001 - every failure is recorded, the run goes on
            self.ok = False
            self.calls.append({"call": name, "ok": False, "error": f"{type(error).__name__}: {error}",
                               "traceback": traceback.format_exc()})
            print(f"FAIL {name}: {type(error).__name__}: {error}", file=sys.stderr)
            return None

    def check(self, name, condition, detail):
        self.calls.append({"call": name, "ok": bool(condition), "result": detail})
        print(f"{'ok  ' if condition else 'FAIL'} {name}", file=sys.stderr)
        self.ok = self.ok and bool(condition)


def jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    for method in ("to_dict",):
        if hasattr(value, method):
            try:
                return jsonable(getattr(value, method)())
            except Exception:  # noqa: BLE001
                pass
    if hasattr(value, "__dict__"):
        return {k: jsonable(v) for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)


def wait_state(deployment_id, targets, timeout_s):
    from ads.common.oci_client import OCIClientFactory
    import ads.common.auth as auth

    client = OCIClientFactory(**auth.default_signer()).data_science
    deadline = time.time() + timeout_s
    while True:
        state = client.get_model_deployment(deployment_id).data.lifecycle_state
        if state in targets or state == "FAILED" or time.time() > deadline:
            if state not in targets:
                raise RuntimeError(f"{deployment_id} is {state}, wanted {targets}")
            return state
        time.sleep(0.5)


def oci_cli(info, *args, body=None):
    command = ["oci", *args, "--config-file", info["configFile"], "--profile", info["profile"]]
    if args[0] != "raw-request":
        command += ["--endpoint", info["endpoint"]]
    environment = {**os.environ, "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True"}
    completed = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=120)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} exited {completed.returncode}: {completed.stderr[-800:]}")
    return json.loads(completed.stdout) if completed.stdout.strip() else None


def served_names(detail):
    return [model.model_name for model in (getattr(detail, "models", None) or [])]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--info", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--ours", help="make-ours.js output: a deployment our hooks made, for ADS's get")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    info = json.load(open(args.info))
    patched = point_ads_at(info)

    from importlib.metadata import version
    from ads.aqua.evaluation.evaluation import AquaEvaluationApp
    from ads.aqua.modeldeployment.deployment import AquaDeploymentApp
    import oci

    run = Run()
    compartment = info["compartmentId"]
    apps = AquaDeploymentApp()
    run.call("deployment list_shapes", lambda: apps.list_shapes(compartment_id=compartment))
    config = run.call("deployment get_multimodel_deployment_config",
                      lambda: apps.get_multimodel_deployment_config(model_ids=[MISTRAL, FALCON]))
    run.check("config names a GPU allocation for VM.GPU.A10.2",
              config is not None and "VM.GPU.A10.2" in (jsonable(config).get("gpu_allocation") or {}),
              jsonable(config).get("error_message") if config is not None else None)
    run.call("deployment get_multimodel_deployment_config --primary_model_id",
             lambda: apps.get_multimodel_deployment_config(model_ids=[MISTRAL, FALCON], primary_model_id=FALCON))

    common = dict(container_image_uri=SEED_IMAGE, instance_shape="VM.GPU.A10.2", compartment_id=compartment,
                  project_id=info["projectId"],
                  models=[{"model_id": MISTRAL, "gpu_count": 1}, {"model_id": FALCON, "gpu_count": 1}])
    made = {}
    for kind, extra in (("completions", {}),
                        ("chat", {"env_var": {"MODEL_DEPLOY_PREDICT_ENDPOINT": "/v1/chat/completions"}})):
        created = run.call(f"deployment create ({kind})", lambda extra=extra, kind=kind: apps.create(
            display_name=f"modelDeployment_multmodel_model1_model2 {kind}", **common, **extra))
        if created is None:
            continue
        made[kind] = created.id
        run.call(f"wait ACTIVE ({kind})", lambda created=created: wait_state(created.id, ["ACTIVE"], args.timeout))

    listed = run.call("deployment list", lambda: apps.list(compartment_id=compartment))
    run.check("list shows both deployments", listed is not None and set(made.values()) <= {d.id for d in listed},
              [d.id for d in listed or []])
    for kind, deployment_id in made.items():
        detail = run.call(f"deployment get ({kind})", lambda deployment_id=deployment_id: apps.get(deployment_id))
        run.check(f"get ({kind}) names the seed's two models",
                  detail is not None and sorted(served_names(detail)) == ["Mistral-7B-v0.1", "falcon-7b"]
                  or detail is not None and len(served_names(detail)) == 2, served_names(detail) if detail else None)
        run.call(f"oci data-science model-deployment get ({kind})",
                 lambda deployment_id=deployment_id: oci_cli(info, "data-science", "model-deployment", "get",
                                                             "--model-deployment-id", deployment_id))
        url = f"{detail.endpoint}/predict" if detail is not None else None
        if kind == "completions":
            body = {"model": served_names(detail)[0] if detail else "", "prompt": "What is 1+1?", "max_tokens": 20}
            route = "/v1/completions"
        else:
            body = {"model": served_names(detail)[0] if detail else "", "max_tokens": 20,
                    "messages": [{"role": "user", "content": "What is 1+1?"}]}
            route = "/v1/chat/completions"
        answer = run.call(f"oci raw-request predict ({kind})", lambda url=url, body=body: oci_cli(
            info, "raw-request", "--http-method", "POST", "--target-uri", url, "--request-body", json.dumps(body),
            "--request-headers", json.dumps({"route": route})))
        run.check(f"predict ({kind}) answered 200", answer is not None and answer.get("status", "").startswith("200"),
                  (answer or {}).get("status"))
    run.call("oci data-science model-deployment list",
             lambda: oci_cli(info, "data-science", "model-deployment", "list", "--compartment-id", compartment))

    # The seed's `ads aqua evaluation create` on the completions deployment: a dataset in a bucket of ours.
    evaluation = None
    if "completions" in made:
        from ads.common.oci_client import OCIClientFactory
        import ads.common.auth as auth

        storage = OCIClientFactory(**auth.default_signer()).object_storage
        namespace = info["namespace"]
        bucket = "ads213-evaluation"
        run.call("object storage create bucket", lambda: storage.create_bucket(
            namespace, oci.object_storage.models.CreateBucketDetails(name=bucket, compartment_id=compartment)).data)
        dataset = "\n".join(json.dumps({"prompt": p, "completion": c}) for p, c in
                            (("What is 1+1?", "2"), ("Name a color.", "blue"))) + "\n"
        run.call("object storage put dataset", lambda: storage.put_object(namespace, bucket, "data/eval.jsonl",
                                                                         dataset.encode()).headers.get("etag"))
        detail = apps.get(made["completions"]) if made else None
        evaluation = run.call("evaluation create", lambda: AquaEvaluationApp().create(
            evaluation_source_id=made["completions"], evaluation_name="test_evaluation",
            experiment_name="test_experiment",  # ADS 2.13 refuses a create without an experiment id or name
            dataset_path=f"oci://{bucket}@{namespace}/data/eval.jsonl",
            report_path=f"oci://{bucket}@{namespace}/report/",
            model_parameters={"model": served_names(detail)[0], "max_tokens": 50, "temperature": 0.7,
                              "top_p": 1.0, "top_k": 50},
            shape_name="VM.Standard.E4.Flex", memory_in_gbs=16, ocpus=2, block_storage_size=50,
            metrics=[{"name": "bertscore", "args": {}}, {"name": "rouge", "args": {}}]))

    if args.ours:
        ours = json.load(open(args.ours))
        detail = run.call("deployment get (a deployment pulumi-aqua made)", lambda: apps.get(ours["deploymentId"]))
        if detail is not None:
            read = [{"model_id": m.model_id, "model_name": m.model_name, "gpu_count": m.gpu_count}
                    for m in detail.models or []]
            expected = [{"model_id": m["modelId"], "model_name": m["modelName"], "gpu_count": m["gpuCount"]}
                        for m in ours["models"]]
            run.check("ADS reads our models as we made them", read == expected, {"ads": read, "ours": expected})
            environment = jsonable(detail).get("environment_variables") or {}
            run.check("ADS reads our MULTI_MODEL_CONFIG byte for byte",
                      environment.get("MULTI_MODEL_CONFIG") == ours["multiModelConfig"],
                      {"ads": environment.get("MULTI_MODEL_CONFIG"), "ours": ours["multiModelConfig"]})
        made["ours"] = ours["deploymentId"]

    if evaluation is not None:
        run.call("evaluation delete", lambda: AquaEvaluationApp().delete(evaluation.id))
    for kind, deployment_id in made.items():
        run.call(f"deployment delete ({kind})", lambda deployment_id=deployment_id: apps.delete(deployment_id))
        run.call(f"wait DELETED ({kind})",
                 lambda deployment_id=deployment_id: wait_state(deployment_id, ["DELETED"], args.timeout))

    summary = {"generatedBy": "scripts/ads-parity/ads213/ads213-against-emulator.py",
               "oracleAds": version("oracle-ads"), "oci": version("oci"), "ociCli": version("oci-cli"),
               "endpoint": info["endpoint"], "patchedClients": patched, "ok": run.ok, "calls": run.calls}
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=2, default=str)
        f.write("\n")
    print(f"{sum(1 for c in run.calls if c['ok'])} of {len(run.calls)} calls and checks ok", file=sys.stderr)
    sys.exit(0 if run.ok else 1)


if __name__ == "__main__":
    main()
