"""Drives oracle-ads 2.16.1's own AquaDeploymentApp.create/update/get (the Model Group era of multi-model deployment)
through each case in tests/fixtures/model-group/cases.json and writes what ADS put on the wire to
tests/fixtures/model-group/ads-2.16.1-expected.json.

The only fake is at the process boundary: the OCI SDK's HTTP session (oci._vendor.requests.Session.request) is
answered from the case's world (catalog models, shapes, containers) by a tiny in-memory OCI. Everything above it,
ADS and the SDK's own serialization and signing setup, runs for real, so the captured bodies are the bytes the SDK
would send. Clocks are frozen where ADS reads them (the group name's date; the work-request poll sleep).

Dev-only (not in CI), see README.md beside this file.
"""
import datetime as _dt
import json
import os
import re
import sys
import tempfile
import threading
import traceback
from urllib.parse import parse_qs, unquote, urlparse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CASES = os.path.join(ROOT, "tests", "fixtures", "model-group", "cases.json")
OUT = os.path.join(ROOT, "tests", "fixtures", "model-group", "ads-2.16.1-expected.json")


def write_throwaway_oci_config(region):
    """The SDK insists on a key file to build a signer; requests never leave the process, so any key will do."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder = tempfile.mkdtemp(prefix="ads-parity-")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_path = os.path.join(folder, "key.pem")
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    config_path = os.path.join(folder, "config")
    with open(config_path, "w") as f:
        f.write(
            "[DEFAULT]\nuser=ocid1.user.oc1..parity\nfingerprint=00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00\n"
            f"tenancy=ocid1.tenancy.oc1..parity\nregion={region}\nkey_file={key_path}\n"
        )
    return config_path


class FakeOci:
    """An in-memory OCI answering the Data Science and Object Storage REST paths ADS uses on create/update/get."""

    def __init__(self, world):
        self.world = world
        self.lock = threading.Lock()
        self.reset(None)

    def reset(self, case_name):
        self.case_name = case_name
        self.calls = []
        self.model_groups = {}
        self.deployments = {}
        self.work_requests = {}
        self.counter = 0

    # ---- helpers -------------------------------------------------------------------------------------------
    def _new_id(self, kind):
        self.counter += 1
        return f"ocid1.{kind}.oc1.iad.parity{self.case_name.replace('-', '')}{self.counter}"

    def _record(self, method, path, query, body):
        thread = threading.current_thread().name
        entry = {"method": method, "path": path, "thread": thread}
        if query:
            entry["query"] = query
        if body is not None:
            entry["body"] = body
        with self.lock:
            self.calls.append(entry)

    def _work_request(self, operation, resource_id, entity_type):
        wr_id = self._new_id("datascienceworkrequest")
        self.work_requests[wr_id] = {
            "id": wr_id, "operationType": operation, "status": "SUCCEEDED", "compartmentId": self.world["compartmentId"],
            "percentComplete": 100.0, "resources": [{"entityType": entity_type, "actionType": "CREATED", "identifier": resource_id}],
            "timeAccepted": "2026-01-15T00:00:00.000Z", "timeStarted": "2026-01-15T00:00:01.000Z", "timeFinished": "2026-01-15T00:00:02.000Z",
        }
        return wr_id

    # ---- routing -------------------------------------------------------------------------------------------
    def handle(self, method, url, data):
        parsed = urlparse(url)
        host = parsed.netloc
        path = unquote(parsed.path)
        query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(parsed.query).items()}
        body_text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
        body = None
        if body_text:
            try:
                body = json.loads(body_text)
            except ValueError:
                body = {"<raw>": body_text}
        service = "objectstorage" if host.startswith("objectstorage") else host.split(".")[0]
        self._record(method, f"{service}:{path}", query, body)
        if service == "objectstorage":
            return 404, {}, {"code": "ObjectNotFound", "message": "Not found (no Object Storage in the parity world)."}
        path = path.replace("/20190101", "", 1)
        catalog = self.world["catalog"]
        m = re.fullmatch(r"/models/([^/]+)(/.*)?", path)
        if m:
            model = catalog.get(m.group(1))
            rest = m.group(2) or ""
            if model is None:
                return 404, {}, {"code": "NotAuthorizedOrNotFound", "message": "Model not found."}
            if rest == "" and method == "GET":
                return 200, {"etag": "1"}, model["model"]
            if rest == "/provenance":
                return 404, {}, {"code": "NotAuthorizedOrNotFound", "message": "No provenance."}
            if rest == "/artifact/content":
                content = json.dumps(model["modelDescription"]).encode()
                headers = {"content-disposition": "attachment; filename=model_description.json", "content-type": "application/octet-stream",
                           "content-length": str(len(content))}
                return 200, headers, (b"" if method == "HEAD" else content)
            dm = re.fullmatch(r"/definedMetadata/([^/]+)/artifact/content", rest)
            if dm:
                content = (model.get("definedMetadataArtifacts") or {}).get(dm.group(1))
                if content is None:
                    return 404, {}, {"code": "NotAuthorizedOrNotFound", "message": "No metadata artifact."}
                return 200, {"content-type": "application/octet-stream"}, json.dumps(content).encode()
            return 404, {}, {"code": "NotAuthorizedOrNotFound", "message": f"Unhandled model path {rest}."}
        if path == "/modelDeploymentShapes":
            return 200, {}, self.world["shapes"]
        if path == "/containers":
            return 200, {}, self.world["containers"]
        if path == "/modelGroups" and method == "POST":
            group_id = self._new_id("datasciencemodelgroup")
            group = {**body, "id": group_id, "lifecycleState": "ACTIVE", "timeCreated": "2026-01-15T00:00:00.000Z",
                     "createdBy": "ocid1.user.oc1..parity", "systemTags": {}}
            self.model_groups[group_id] = group
            wr = self._work_request("CREATE_MODEL_GROUP", group_id, "datasciencemodelgroup")
            return 200, {"opc-work-request-id": wr, "etag": "1"}, group
        m = re.fullmatch(r"/modelGroups/([^/]+)", path)
        if m:
            group = self.model_groups.get(m.group(1)) or self.world.get("existingModelGroups", {}).get(m.group(1))
            return (200, {"etag": "1"}, group) if group else (404, {}, {"code": "NotAuthorizedOrNotFound", "message": "No group."})
        m = re.fullmatch(r"/workRequests/([^/]+)(/logs|/errors)?", path)
        if m:
            if m.group(2):
                return 200, {}, []
            return 200, {}, self.work_requests.get(m.group(1)) or {"id": m.group(1), "status": "SUCCEEDED", "percentComplete": 100.0}
        if path == "/modelDeployments" and method == "POST":
            md_id = self._new_id("datasciencemodeldeployment")
            deployment = {**body, "id": md_id, "lifecycleState": "CREATING", "timeCreated": "2026-01-15T00:00:00.000Z",
                          "createdBy": "ocid1.user.oc1..parity",
                          "modelDeploymentUrl": f"https://modeldeployment.{self.world['region']}.oci.customer-oci.com/{md_id}"}
            deployment.setdefault("categoryLogDetails", None)
            self.deployments[md_id] = deployment
            wr = self._work_request("CREATE_MODEL_DEPLOYMENT", md_id, "datasciencemodeldeployment")
            return 200, {"opc-work-request-id": wr, "etag": "1"}, deployment
        m = re.fullmatch(r"/modelDeployments/([^/]+)", path)
        if m:
            deployment = self.deployments.get(m.group(1))
            if deployment is None:
                return 404, {}, {"code": "NotAuthorizedOrNotFound", "message": "No deployment."}
            if method == "GET":
                return 200, {"etag": "1"}, {**deployment, "lifecycleState": "ACTIVE"}
            if method == "PUT":
                wr = self._work_request("UPDATE_MODEL_DEPLOYMENT", m.group(1), "datasciencemodeldeployment")
                return 202, {"opc-work-request-id": wr}, None
        return 404, {}, {"code": "NotFound", "message": f"The parity world does not serve {method} {path}."}


def install_fake(fake):
    """Answer every SDK HTTP request from `fake`; the SDK's own request()/deserialization still run."""
    from oci._vendor import requests

    def session_request(self, method, url, **kwargs):
        status, headers, payload = fake.handle(method, url, kwargs.get("data"))
        response = requests.Response()
        response.status_code = status
        response.url = url
        response.headers = requests.structures.CaseInsensitiveDict({"opc-request-id": "parity", **headers})
        if isinstance(payload, bytes):
            response._content = payload
        elif payload is None:
            response._content = b""
        else:
            response._content = json.dumps(payload).encode()
            response.headers.setdefault("content-type", "application/json")
        return response

    requests.Session.request = session_request


def freeze_clocks(date_text):
    """ADS names the group model_group_<YYYYMMDD> from datetime.now() and sleeps 10 s before polling a work request."""
    import ads.aqua.modeldeployment.deployment as deployment_module
    import ads.common.work_request as work_request_module

    frozen = _dt.datetime.strptime(date_text, "%Y%m%d")

    class FrozenDatetime(_dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return frozen

    deployment_module.datetime = FrozenDatetime

    class NoSleepTime:
        def __getattr__(self, name):
            import time
            return getattr(time, name)

        @staticmethod
        def sleep(_seconds):
            return None

    work_request_module.time = NoSleepTime()


def clear_ads_caches():
    from ads.aqua.app import AquaApp
    from ads.aqua.modeldeployment.deployment import AquaDeploymentApp

    for fn in (AquaDeploymentApp.list_shapes, AquaApp.get_config_from_metadata, AquaApp.get_config, AquaApp.list_service_containers):
        cache = getattr(fn, "cache", None)
        if cache is not None:
            cache.clear()


def calls_of_main_flow(fake):
    """Calls made by the create/update thread and its model-fetch pool; telemetry and progress threads are dropped."""
    kept = []
    for call in fake.calls:
        if call["thread"] != "MainThread" and not call["thread"].startswith("ThreadPoolExecutor"):
            continue
        if call["path"].startswith("objectstorage:") and "/o/telemetry/" in call["path"]:
            continue  # ADS telemetry (record_event_async), not part of the deployment
        kept.append({"method": call["method"], "path": call["path"], **({"query": call["query"]} if "query" in call else {}),
                     "parallel": call["thread"] != "MainThread"})
    return kept


def run_case(fake, case, world):
    from ads.aqua.modeldeployment.deployment import AquaDeploymentApp

    clear_ads_caches()
    fake.reset(case["name"])
    result = {"description": case["description"]}
    try:
        app = AquaDeploymentApp()
        created = app.create(**case["create"])
        result["createModelGroupDetails"] = next(c["body"] for c in fake.calls if c["method"] == "POST" and c["path"].endswith("/modelGroups"))
        result["createModelDeploymentDetails"] = next(c["body"] for c in fake.calls if c["method"] == "POST" and c["path"].endswith("/modelDeployments"))
        result["ociCalls"] = calls_of_main_flow(fake)
        result["returned"] = {"model_id": created.model_id, "models": [m.model_dump() for m in created.models]}
        if case.get("readBack"):
            fake.calls = []
            detail = AquaDeploymentApp().get(created.id)
            result["readBack"] = {"ociCalls": calls_of_main_flow(fake), "models": [m.model_dump() for m in detail.models],
                                  "model_id": detail.model_id}
        if case.get("update"):
            fake.calls = []
            clear_ads_caches()
            AquaDeploymentApp().update(created.id, **case["update"])
            result["update"] = {
                "createModelGroupDetails": next((c["body"] for c in fake.calls if c["method"] == "POST" and c["path"].endswith("/modelGroups")), None),
                "updateModelDeploymentDetails": next(c["body"] for c in fake.calls if c["method"] == "PUT"),
                "updateModelDeploymentQuery": next(c.get("query") for c in fake.calls if c["method"] == "PUT"),
                "ociCalls": calls_of_main_flow(fake),
            }
    except Exception as error:  # ADS refusing the input is an expected outcome for some cases
        result["error"] = str(error)
        result["errorType"] = type(error).__name__
        if case.get("expect") != "error":
            traceback.print_exc()
    if (case.get("expect") == "error") != ("error" in result):
        print(f"case {case['name']}: expected {case.get('expect', 'ok')}, got {'error' if 'error' in result else 'ok'}", file=sys.stderr)
        result["unexpected"] = True
    return result


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        # ADS keeps custom metadata in a set hashed by key string, so the wire order of customMetadataList follows
        # Python's per-process string hash seed. Pin it so the fixture is stable; tests must compare by key.
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    spec = json.load(open(CASES))
    world = spec["world"]
    os.environ.setdefault("CONDA_BUCKET_NS", world["namespace"])
    os.environ.setdefault("TELEMETRY_OPT_OUT", "1")
    import ads

    ads.set_auth("api_key", oci_config_location=write_throwaway_oci_config(world["region"]), profile="DEFAULT")
    fake = FakeOci(world)
    install_fake(fake)
    freeze_clocks(spec["frozenDate"])

    from importlib.metadata import version

    results = {}
    for case in spec["cases"]:
        results[case["name"]] = run_case(fake, case, world)
        status = "error: " + results[case["name"]]["error"][:90] if "error" in results[case["name"]] else "ok"
        print(f"{case['name']}: {status}", file=sys.stderr)
    output = {
        "generatedBy": "scripts/ads-parity/model-group/replay.py",
        "oracleAds": version("oracle-ads"),
        "oci": version("oci"),
        "frozenDate": spec["frozenDate"],
        "note": "Bodies are the JSON the OCI Python SDK sent (sanitize_for_serialization + json.dumps), parsed back. "
        "Group display names carry the frozen date: substitute model_group_<YYYYMMDD>. Resource OCIDs are the fake's.",
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
