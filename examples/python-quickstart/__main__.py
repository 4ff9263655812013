"""The seed's example as a Python stack: Mistral-7B and Falcon-7B sharing a VM.GPU.A10.2 (one GPU each), then the
endpoint and the served names a client sends as `model`."""

import pulumi
import pulumi_aqua as aqua

config = pulumi.Config("quickstart")
mistral = config.get("mistralModelId") or "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01"
falcon = config.get("falconModelId") or "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b"

llms = aqua.MultiModelDeployment(
    "llms",
    # The seed's form (ADS 2.13): one aggregate catalog model and MULTI_MODEL_CONFIG in the deployment's environment.
    # Leave model_store unset (or "modelGroup") for what OCI and ADS >= 2.14 make.
    model_store="aggregateModel",
    display_name="modelDeployment_multmodel_model1_model2",
    instance_shape="VM.GPU.A10.2",
    container_image_uri="dsmc://odsc-vllm-serving:0.6.4.post1.2",
    models=[
        aqua.ModelSelectionArgs(model_id=mistral, gpu_count=1),
        aqua.ModelSelectionArgs(model_id=falcon, gpu_count=1),
    ],
)

pulumi.export("deploymentId", llms.id)
pulumi.export("state", llms.state)
pulumi.export("predictUrl", llms.predict_url)
pulumi.export("servedModelNames", llms.models.apply(lambda models: [model.model_name for model in models]))
