"""Asks one served model of the stack's deployment for a completion, with the OpenAI Python client, every request
signed by the OCI SDK's request signer (oci.signer.Signer), as calls to a model deployment must be.

    python ask.py PREDICT_URL MODEL [PROMPT]

PREDICT_URL and MODEL are the stack's `predictUrl` and one of its `servedModelNames` (`pulumi stack output`). The
OCI identity is the config file profile in OCI_CLI_CONFIG_FILE / OCI_CLI_PROFILE (default ~/.oci/config, DEFAULT).
"""

import os
import re
import sys

import oci
import openai
from oci._vendor import requests  # the requests the signer is written for (oci vendors its own copy)

try:  # openai >= 3 sends through httpx2 (httpx's successor, same Auth API); older releases through httpx
    import httpx2 as httpx
except ImportError:
    import httpx


def predict_endpoint(predict_url: str) -> str:
    """`<deployment URL>/predict`, whatever follows it in the given URL (such as `/v1`)."""
    match = re.match(r"^.*?/predict(?:WithResponseStream)?(?=[/?#]|$)", predict_url)
    return match.group(0) if match else predict_url.rstrip("/")


class OCIPredictAuth(httpx.Auth):
    """Sends the OpenAI client's `<predict>/v1/completions` (or any OpenAI path) to `<predict>` with the path in the
    `route` header, which is how a model deployment picks the model server's route, then signs the request."""

    requires_request_body = True  # the signature covers the body's SHA-256

    def __init__(self, predict_url: str, signer: oci.signer.Signer):
        self.endpoint = predict_endpoint(predict_url)
        self.signer = signer

    def auth_flow(self, request: httpx.Request):
        url = str(request.url)
        if url.startswith(self.endpoint + "/"):
            suffix = re.sub(r"^/v1(?=/|$)", "", url[len(self.endpoint) :].split("?")[0])
            request.headers["route"] = "/v1" + suffix
            request.url = httpx.URL(self.endpoint)
        # oci's signer works on a requests.PreparedRequest: sign one with the same method, URL, headers and body,
        # and copy the signature headers (date, host, x-content-sha256, content-length, authorization) back.
        prepared = requests.Request(
            request.method, str(request.url), headers=dict(request.headers), data=request.content
        ).prepare()
        self.signer(prepared)
        for name in ("date", "host", "x-content-sha256", "content-length", "content-type", "authorization"):
            if name in prepared.headers:
                request.headers[name] = prepared.headers[name]
        yield request


def client_for(predict_url: str) -> openai.OpenAI:
    config = oci.config.from_file(
        os.environ.get("OCI_CLI_CONFIG_FILE", oci.config.DEFAULT_LOCATION),
        os.environ.get("OCI_CLI_PROFILE", oci.config.DEFAULT_PROFILE),
    )
    signer = oci.signer.Signer(
        tenancy=config["tenancy"],
        user=config["user"],
        fingerprint=config["fingerprint"],
        private_key_file_location=config["key_file"],
        pass_phrase=config.get("pass_phrase"),
    )
    return openai.OpenAI(
        base_url=predict_endpoint(predict_url) + "/v1",
        api_key="OCI",  # unused: OCI's signature authenticates, but the client wants a key
        http_client=httpx.Client(auth=OCIPredictAuth(predict_url, signer), timeout=60),
    )


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    predict_url, model = argv[1], argv[2]
    prompt = argv[3] if len(argv) > 3 else "What is a GPU shape?"
    completion = client_for(predict_url).completions.create(model=model, prompt=prompt, max_tokens=32)
    print(f"{model}: {completion.choices[0].text.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
