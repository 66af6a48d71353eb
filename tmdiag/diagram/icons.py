"""Provider icons from `diagrams`: resolve `icon:` names (`aws.ec2`, `k8s.pod`, `gcp.compute.gce`)
and pick a default icon from an element's kind and cloud."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from pathlib import Path

import diagrams

from tmdiag.model.nodes import Element, Model

PROVIDERS = ("aws", "gcp", "azure", "k8s", "onprem", "generic")

_USER, _CLIENT = "onprem.client.User", "onprem.client.Client"
# Default icon per provider and element kind ("datastore:<kind>" for kinds of store).
DEFAULTS: dict[str, dict[str, str]] = {
    "aws": {
        "actor": "aws.general.User", "external": "aws.general.Client", "process": "aws.compute.EC2",
        "server": "aws.compute.EC2", "lambda": "aws.compute.Lambda", "datastore": "aws.database.RDS",
        "llm": "aws.ml.Bedrock", "agent": "aws.ml.Sagemaker", "datastore:s3": "aws.storage.S3",
        "datastore:object": "aws.storage.S3", "datastore:nosql": "aws.database.Dynamodb",
        "datastore:cache": "aws.database.Elasticache", "datastore:queue": "aws.integration.SQS",
        "datastore:secrets": "aws.security.SecretsManager", "datastore:log": "aws.management.Cloudwatch",
    },
    "gcp": {
        "process": "gcp.compute.GCE", "server": "gcp.compute.GCE", "lambda": "gcp.compute.Functions",
        "datastore": "gcp.database.SQL", "llm": "gcp.ml.VertexAI", "agent": "gcp.ml.VertexAI",
        "datastore:s3": "gcp.storage.GCS", "datastore:object": "gcp.storage.GCS",
        "datastore:nosql": "gcp.database.Firestore", "datastore:cache": "gcp.database.Memorystore",
        "datastore:queue": "gcp.analytics.Pubsub", "datastore:secrets": "gcp.security.SecretManager",
        "datastore:log": "gcp.operations.Logging",
    },
    "azure": {
        "process": "azure.compute.VM", "server": "azure.compute.VM", "lambda": "azure.compute.FunctionApps",
        "datastore": "azure.database.SQLDatabases", "llm": "azure.aimachinelearning.AzureOpenai",
        "agent": "azure.aimachinelearning.AzureOpenai", "datastore:s3": "azure.storage.BlobStorage",
        "datastore:object": "azure.storage.BlobStorage", "datastore:nosql": "azure.database.CosmosDb",
        "datastore:cache": "azure.database.CacheForRedis", "datastore:queue": "azure.integration.ServiceBus",
        "datastore:secrets": "azure.security.KeyVaults",
    },
    "k8s": {
        "process": "k8s.compute.Pod", "server": "k8s.compute.Deploy", "lambda": "k8s.compute.Job",
        "datastore": "k8s.compute.StatefulSet", "datastore:secrets": "k8s.podconfig.Secret",
    },
    "onprem": {
        "process": "onprem.compute.Server", "server": "onprem.compute.Server", "lambda": "onprem.compute.Server",
        "datastore": "onprem.database.Postgresql", "datastore:nosql": "onprem.database.Mongodb",
        "datastore:cache": "onprem.inmemory.Redis", "datastore:queue": "onprem.queue.Kafka",
        "datastore:secrets": "onprem.security.Vault", "datastore:log": "onprem.logging.Loki",
    },
    "generic": {
        "actor": _USER, "external": _CLIENT, "process": "generic.compute.Rack", "server": "generic.compute.Rack",
        "lambda": "generic.compute.Rack", "datastore": "generic.database.SQL", "llm": "generic.compute.Rack",
        "agent": "generic.compute.Rack", "datastore:s3": "generic.storage.Storage",
        "datastore:object": "generic.storage.Storage",
    },
}  # fmt: skip

NodeClass = type[diagrams.Node]


def _norm(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


@functools.cache
def _provider_index(provider: str) -> dict[str, dict[str, NodeClass]]:
    """module name -> {normalised class or alias name -> node class}, for one provider."""
    package = importlib.import_module(f"diagrams.{provider}")
    index: dict[str, dict[str, NodeClass]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"diagrams.{provider}.{info.name}")
        table = index.setdefault(info.name, {})
        for name, value in sorted(vars(module).items()):
            if name.startswith("_") or not isinstance(value, type) or not issubclass(value, diagrams.Node):
                continue
            if getattr(value, "_icon", None):
                table.setdefault(_norm(name), value)
    return index


@functools.cache
def resolve(name: str) -> NodeClass | None:
    """`aws.ec2` / `aws.compute.ec2` / `k8s.pod` -> the diagrams node class, or None if unknown."""
    parts = [p for p in str(name).split(".") if p]
    if len(parts) not in (2, 3) or parts[0].lower() not in PROVIDERS:
        return None
    index = _provider_index(parts[0].lower())
    wanted = _norm(parts[-1])
    if len(parts) == 3:
        return index.get(parts[1].lower(), {}).get(wanted)
    for module in index:  # sorted: the first module defining the name wins, on every run
        if wanted in index[module]:
            return index[module][wanted]
    return None


def icon_path(node_class: NodeClass) -> str:
    """Absolute path of the PNG a diagrams node class draws."""
    base = Path(diagrams.__file__).resolve().parent.parent
    return str(base / str(node_class._icon_dir) / str(node_class._icon))


def cloud_of(model: Model, element: Element) -> str:
    """The provider an element's icon comes from: its boundaries' `cloud:`, else the model's, else generic."""
    for boundary in model.boundary_chain(element.boundary):
        if boundary.get("cloud"):
            return str(boundary.get("cloud"))
    if model.info is not None and model.info.get("cloud"):
        return str(model.info.get("cloud"))
    return "generic"


def default_for(model: Model, element: Element) -> NodeClass:
    provider = cloud_of(model, element)
    keys = [element.kind]
    if element.kind == "datastore":
        keys.insert(0, f"datastore:{element.get('kind')}")
    for table in (DEFAULTS.get(provider, {}), DEFAULTS["generic"]):
        for key in keys:
            if key in table and (found := resolve(table[key])) is not None:
                return found
    return diagrams.Node  # pragma: no cover - the generic table covers every kind
