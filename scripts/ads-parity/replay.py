"""Replays allocation cases through ADS's own MultiModelDeploymentConfigLoader (oracle-ads 2.13.5, the era our seed
documents) and writes its answers, so scripts/ads-parity/compare.js can diff them with computeGpuAllocation.

Dev-only (not in CI): python -m venv .tools/ads-venv && .tools/ads-venv/bin/pip install oracle-ads==2.13.5 cachetools
Then: .tools/ads-venv/bin/python scripts/ads-parity/replay.py && node scripts/ads-parity/compare.js

Cases: every tests/fixtures/allocation/*.json, plus random ones (fixed seed). The only fake is at ADS's process
boundary: its deployment app's config fetch returns each case's deployment_config.json instead of calling OCI.
"""
import glob
import json
import os
import random
import sys

from ads.aqua.common.entities import ComputeShapeSummary
from ads.aqua.modeldeployment.utils import MultiModelDeploymentConfigLoader

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHAPES = [
    {"name": "VM.GPU.A10.1", "coreCount": 15, "memoryInGbs": 240, "shapeSeries": "NVIDIA_GPU", "gpuSpecs": {"gpuCount": 1, "gpuMemoryInGbs": 24, "gpuType": "A10"}},
    {"name": "VM.GPU.A10.2", "coreCount": 30, "memoryInGbs": 480, "shapeSeries": "NVIDIA_GPU", "gpuSpecs": {"gpuCount": 2, "gpuMemoryInGbs": 48, "gpuType": "A10"}},
    {"name": "BM.GPU.A10.4", "coreCount": 64, "memoryInGbs": 1024, "shapeSeries": "NVIDIA_GPU", "gpuSpecs": {"gpuCount": 4, "gpuMemoryInGbs": 96, "gpuType": "A10"}},
    {"name": "BM.GPU.L40S.4", "coreCount": 112, "memoryInGbs": 1024, "shapeSeries": "NVIDIA_GPU", "gpuSpecs": {"gpuCount": 4, "gpuMemoryInGbs": 192, "gpuType": "L40S"}},
    {"name": "BM.GPU.H100.8", "coreCount": 112, "memoryInGbs": 2048, "shapeSeries": "NVIDIA_GPU", "gpuSpecs": {"gpuCount": 8, "gpuMemoryInGbs": 640, "gpuType": "H100"}},
]


class FakeDeploymentApp:
    """ADS's loader asks its app for each model's deployment_config.json; we answer from the case."""

    def __init__(self, configs):
        self.configs = configs

    def get_config(self, model_id, _name):
        class Result:
            pass

        result = Result()
        result.config = self.configs.get(model_id, {})
        return result


def to_ads_shape(shape):
    specs = shape.get("gpuSpecs")
    return ComputeShapeSummary(
        core_count=shape.get("coreCount"),
        memory_in_gbs=shape.get("memoryInGbs"),
        name=shape["name"],
        shape_series=shape.get("shapeSeries"),
        gpu_specs=None if specs is None else {"gpu_count": specs.get("gpuCount"), "gpu_memory_in_gbs": specs.get("gpuMemoryInGbs"), "gpu_type": specs.get("gpuType")},
    )


def random_case(rng, index):
    shapes = rng.sample(SHAPES, rng.randint(1, len(SHAPES)))
    model_ids = [f"ocid1.datasciencemodel.oc1.iad.rand{index}m{m}" for m in range(rng.randint(1, 4))]
    configs = {}
    for model_id in model_ids:
        if rng.random() < 0.1:
            configs[model_id] = {}
            continue
        configuration = {}
        shape_list = []
        for shape in rng.sample(SHAPES, rng.randint(1, len(SHAPES))):
            total = shape["gpuSpecs"]["gpuCount"]
            counts = [count for count in (1, 2, 4, 8) if count <= total and rng.random() < 0.6]
            rng.shuffle(counts)
            if rng.random() < 0.8:
                configuration[shape["name"]] = {"parameters": {}, "multi_model_deployment": [{"gpu_count": count} for count in counts]}
            shape_list.append(shape["name"])
        configs[model_id] = {"shape": shape_list, "configuration": configuration}
    primary = rng.choice(model_ids) if rng.random() < 0.4 else None
    return {"shapes": shapes, "deploymentConfigs": configs, "modelIds": model_ids, "primaryModelId": primary}


def main():
    cases = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "allocation", "*.json"))):
        case = json.load(open(path))
        case["name"] = os.path.basename(path)
        cases.append(case)
    rng = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 2026)
    cases += [dict(random_case(rng, index), name=f"random-{index}") for index in range(400)]
    answers = []
    for case in cases:
        loader = MultiModelDeploymentConfigLoader(FakeDeploymentApp(case["deploymentConfigs"]))
        summary = loader.load(shapes=[to_ads_shape(shape) for shape in case["shapes"]], model_ids=case["modelIds"], primary_model_id=case.get("primaryModelId"))
        allocation = {
            shape: {"models": [{"modelId": model.ocid, "gpuCount": model.gpu_count} for model in value.models], "totalGpusAvailable": value.total_gpus_available}
            for shape, value in summary.gpu_allocation.items()
        }
        answers.append({**case, "ads": {"gpuAllocation": allocation, "errorMessage": summary.error_message}})
    out = os.path.join(ROOT, ".aqua", "ads-parity.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    json.dump(answers, open(out, "w"), indent=1)
    print(f"ADS answered {len(answers)} cases -> {out}")


if __name__ == "__main__":
    main()
