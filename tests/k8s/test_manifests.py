"""The Kubernetes manifests in k8s/ hang together: they parse, the RayService's Serve config passes
Ray's own schema, and the names, resources and capacity it relies on match the other manifests.

Nothing here talks to a cluster; these are checks of the files only.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

K8S = Path(__file__).resolve().parents[2] / "k8s"
IMPORT_PATH = "compiler_service.serve_app:app"
DEPLOYMENTS = {"Ingress", "Rasterizer", "Reader", "Labeler", "Assembler"}
GPU_DEPLOYMENTS = {"Reader", "Labeler"}
GPU = "nvidia.com/gpu"
DNS_1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def _documents() -> dict[str, list[dict]]:
    return {p.name: [d for d in yaml.safe_load_all(p.read_text(encoding="utf-8")) if d is not None]
            for p in sorted(K8S.glob("*.yaml"))}


def _one(kind: str) -> dict:
    found = [d for docs in _documents().values() for d in docs if d["kind"] == kind]
    assert len(found) == 1, f"expected one {kind} in k8s/, found {len(found)}"
    return found[0]


def _quantity(value) -> Fraction:
    """A Kubernetes CPU/GPU quantity ("8", 8, "500m") as a number."""
    text = str(value)
    return Fraction(text[:-1]) / 1000 if text.endswith("m") else Fraction(text)


def _groups(rayservice: dict) -> dict[str, dict]:
    """The head group (as "head") and the worker groups by name."""
    cluster = rayservice["spec"]["rayClusterConfig"]
    groups = {"head": cluster["headGroupSpec"]}
    for group in cluster["workerGroupSpecs"]:
        assert group["groupName"] not in groups, f"worker group {group['groupName']} twice"
        groups[group["groupName"]] = group
    return groups


def _container(group: dict) -> dict:
    (container,) = group["template"]["spec"]["containers"]
    return container


def _limit(group: dict, resource: str) -> Fraction:
    resources = _container(group).get("resources", {})
    value = resources.get("limits", {}).get(resource, resources.get("requests", {}).get(resource, 0))
    return _quantity(value)


@pytest.fixture(scope="module")
def rayservice() -> dict:
    return _one("RayService")


@pytest.fixture(scope="module")
def serve_config(rayservice) -> dict:
    text = rayservice["spec"]["serveConfigV2"]
    assert isinstance(text, str), "serveConfigV2 must be a YAML string, as KubeRay expects"
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def deployments(serve_config) -> dict[str, dict]:
    (app,) = serve_config["applications"]
    return {d["name"]: d for d in app["deployments"]}


# --- every manifest ---------------------------------------------------------------------------

def test_the_manifests_are_all_there():
    assert {"rayservice.yaml", "storage.yaml", "secret.example.yaml", "config.yaml"} <= set(_documents())


@pytest.mark.parametrize("name", sorted(p.name for p in K8S.glob("*.yaml")))
def test_every_document_parses_and_names_itself(name):
    docs = _documents()[name]
    assert docs, f"{name} has no document"
    for doc in docs:
        assert isinstance(doc, dict)
        assert isinstance(doc.get("apiVersion"), str) and doc["apiVersion"], f"{name}: no apiVersion"
        assert isinstance(doc.get("kind"), str) and doc["kind"], f"{name}: no kind"
        meta_name = doc.get("metadata", {}).get("name")
        assert isinstance(meta_name, str) and DNS_1123.match(meta_name), f"{name}: bad metadata.name {meta_name!r}"
        assert "namespace" not in doc["metadata"], f"{name}: the namespace is chosen at apply time"


def test_names_are_unique_per_kind():
    seen = [(d["kind"], d["metadata"]["name"]) for docs in _documents().values() for d in docs]
    assert len(seen) == len(set(seen))


# --- the Serve application --------------------------------------------------------------------

def _unknown_keys(data: dict, model) -> set[str]:
    return set(data) - set(model.model_fields)


def test_serve_config_passes_rays_schema(serve_config):
    pytest.importorskip("ray")
    from ray.serve.config import AutoscalingConfig
    from ray.serve.schema import (DeploymentSchema, HTTPOptionsSchema, RayActorOptionsSchema, ServeApplicationSchema,
                                  ServeDeploySchema)

    schema = ServeDeploySchema.model_validate(serve_config)
    assert len(schema.applications) == 1
    # Ray's models ignore unknown keys, so a misspelt option would be dropped silently: check them
    assert not _unknown_keys(serve_config, ServeDeploySchema)
    assert not _unknown_keys(serve_config.get("http_options", {}), HTTPOptionsSchema)
    for app in serve_config["applications"]:
        assert not _unknown_keys(app, ServeApplicationSchema), app["name"]
        for deployment in app["deployments"]:
            name = deployment["name"]
            assert not _unknown_keys(deployment, DeploymentSchema), name
            assert not _unknown_keys(deployment.get("ray_actor_options", {}), RayActorOptionsSchema), name
            if "autoscaling_config" in deployment:
                assert not _unknown_keys(deployment["autoscaling_config"], AutoscalingConfig), name
                AutoscalingConfig(**deployment["autoscaling_config"])  # its own checks (min <= max, ...)


def test_one_application_from_the_package(serve_config):
    (app,) = serve_config["applications"]
    assert app["name"] == "dossier"
    assert app["route_prefix"] == "/"
    assert app["import_path"] == IMPORT_PATH
    assert "runtime_env" not in app, "the image has the package: no runtime_env"
    assert serve_config["http_options"]["port"] == 8000


def test_the_five_deployments(deployments):
    assert set(deployments) == DEPLOYMENTS
    for name, deployment in deployments.items():
        assert "ray_actor_options" in deployment, name
        assert "num_cpus" in deployment["ray_actor_options"], name


def test_args_are_settings(serve_config):
    from compiler_service.settings import Settings

    (app,) = serve_config["applications"]
    assert set(app.get("args", {})) <= set(Settings.model_fields)
    assert app["args"]["execution_provider"] == "CUDAExecutionProvider"


@pytest.mark.parametrize("name", ["Reader", "Labeler", "Rasterizer", "Assembler"])
def test_stage_deployments_autoscale_on_queue_depth(deployments, name):
    deployment = deployments[name]
    assert "num_replicas" not in deployment, f"{name}: a fixed num_replicas conflicts with autoscaling"
    scaling = deployment["autoscaling_config"]
    for key in ("min_replicas", "max_replicas", "target_ongoing_requests", "upscale_delay_s", "downscale_delay_s"):
        assert key in scaling, f"{name}: autoscaling_config has no {key}"
    assert 1 <= scaling["min_replicas"] <= scaling["max_replicas"]
    assert 0 < scaling["target_ongoing_requests"] <= deployment["max_ongoing_requests"]


def test_ingress_is_two_fixed_replicas_on_two_pods(rayservice, deployments):
    # two front doors, each taking and leasing jobs from the one database; never on the same pod,
    # so that a pod lost leaves one answering, and the CPU pods that are always there hold both
    ingress = deployments["Ingress"]
    assert "autoscaling_config" not in ingress
    assert ingress["num_replicas"] == 2
    assert ingress["max_replicas_per_node"] == 1
    assert not ingress["ray_actor_options"].get("num_gpus")
    cpu = _groups(rayservice)["cpu-workers"]
    assert cpu["minReplicas"] >= ingress["num_replicas"]
    assert Fraction(str(ingress["ray_actor_options"]["num_cpus"])) <= _limit(cpu, "cpu")


# --- the Ray cluster --------------------------------------------------------------------------

def test_cluster_autoscales_and_groups_are_sane(rayservice):
    cluster = rayservice["spec"]["rayClusterConfig"]
    assert cluster["enableInTreeAutoscaling"] is True
    assert rayservice["spec"]["upgradeStrategy"]["type"] == "NewCluster"
    for name, group in _groups(rayservice).items():
        if name != "head":
            assert 0 <= group["minReplicas"] <= group["replicas"] <= group["maxReplicas"], name
        for key, value in group.get("rayStartParams", {}).items():
            assert isinstance(value, str), f"{name}: rayStartParams.{key} must be a string"


def test_head_takes_no_replicas_and_has_no_gpu(rayservice):
    head = _groups(rayservice)["head"]
    assert head["rayStartParams"]["num-cpus"] == "0"
    assert head["rayStartParams"].get("num-gpus", "0") == "0"
    resources = _container(head).get("resources", {})
    assert GPU not in resources.get("limits", {}) and GPU not in resources.get("requests", {})
    assert not head["template"]["spec"].get("tolerations")


def test_gpu_workers_get_a_gpu_and_tolerate_the_taint(rayservice):
    gpu = _groups(rayservice)["gpu-workers"]
    resources = _container(gpu)["resources"]
    assert _quantity(resources["limits"][GPU]) >= 1
    assert resources.get("requests", {}).get(GPU, resources["limits"][GPU]) == resources["limits"][GPU]
    tolerations = gpu["template"]["spec"]["tolerations"]
    assert any(t["key"] == GPU and t.get("operator") == "Exists" for t in tolerations)
    assert gpu["template"]["spec"].get("nodeSelector")


def test_only_the_gpu_group_has_gpus(rayservice):
    assert {name for name, group in _groups(rayservice).items() if _limit(group, GPU)} == {"gpu-workers"}


def _pack(replicas: list[tuple[str, dict[str, Fraction]]], pods: int, size: dict[str, Fraction]) -> bool:
    """Whether the replicas fit on `pods` pods of `size`: first fit, largest GPU then CPU demand first."""
    free = [dict(size) for _ in range(pods)]
    for _, need in sorted(replicas, key=lambda r: (r[1]["GPU"], r[1]["CPU"]), reverse=True):
        pod = next((f for f in free if all(f[k] >= v for k, v in need.items())), None)
        if pod is None:
            return False
        for k, v in need.items():
            pod[k] -= v
    return True


def _replicas(deployment: dict, bound: str = "max_replicas") -> list[tuple[str, dict[str, Fraction]]]:
    """The resources of each replica at the autoscaling bound (or the fixed num_replicas)."""
    count = deployment.get("autoscaling_config", {}).get(bound, deployment.get("num_replicas", 1))
    options = deployment["ray_actor_options"]
    need = {"CPU": Fraction(str(options.get("num_cpus", 1))), "GPU": Fraction(str(options.get("num_gpus", 0)))}
    return [(deployment["name"], need)] * count


def test_gpu_deployments_fit_the_gpu_pool(rayservice, deployments):
    gpu = _groups(rayservice)["gpu-workers"]
    per_pod = {"CPU": _limit(gpu, "cpu"), "GPU": _limit(gpu, GPU)}
    assert {n for n, d in deployments.items() if d["ray_actor_options"].get("num_gpus")} == GPU_DEPLOYMENTS
    for name in GPU_DEPLOYMENTS:
        assert 0 < Fraction(str(deployments[name]["ray_actor_options"]["num_gpus"])) <= min(per_pod["GPU"], 1), name
    most = [r for name in sorted(GPU_DEPLOYMENTS) for r in _replicas(deployments[name])]
    total = sum(need["GPU"] for _, need in most)
    assert total <= gpu["maxReplicas"] * per_pod["GPU"], f"max replicas need {total} GPUs"
    assert _pack(most, gpu["maxReplicas"], per_pod), "max replicas of Reader/Labeler do not fit the GPU pods"
    # the minimum fits the GPU pods that are always there
    least = [r for name in sorted(GPU_DEPLOYMENTS) for r in _replicas(deployments[name], "min_replicas")]
    assert _pack(least, gpu["minReplicas"], per_pod), "min replicas of Reader/Labeler do not fit the minimum GPU pods"


def test_cpu_deployments_fit_the_cpu_pool(rayservice, deployments):
    cpu = _groups(rayservice)["cpu-workers"]
    per_pod = {"CPU": _limit(cpu, "cpu"), "GPU": Fraction(0)}
    most = [r for name in sorted(DEPLOYMENTS - GPU_DEPLOYMENTS) for r in _replicas(deployments[name])]
    assert _pack(most, cpu["maxReplicas"], per_pod), "max replicas of the CPU deployments do not fit the CPU pods"


# --- what every Ray pod needs -----------------------------------------------------------------

def test_every_ray_pod_mounts_the_shared_data_volume(rayservice):
    claim = _one("PersistentVolumeClaim")
    assert "ReadWriteMany" in claim["spec"]["accessModes"]
    data_dir = _one("ConfigMap")["data"]["DOSSIER_DATA_DIR"]
    for name, group in _groups(rayservice).items():
        volumes = {v["name"]: v for v in group["template"]["spec"]["volumes"]}
        mounts = {m["mountPath"]: m["name"] for m in _container(group)["volumeMounts"]}
        assert data_dir in mounts, f"{name}: nothing mounted at {data_dir}"
        volume = volumes[mounts[data_dir]]
        assert volume["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"], name


def test_every_ray_pod_gets_the_same_settings(rayservice):
    secret, config = _one("Secret"), _one("ConfigMap")
    images = set()
    for name, group in _groups(rayservice).items():
        container = _container(group)
        images.add(container["image"])
        assert [s["configMapRef"]["name"] for s in container["envFrom"]] == [config["metadata"]["name"]], name
        env = {e["name"]: e for e in container["env"]}
        ref = env["DOSSIER_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == secret["metadata"]["name"], name
        assert ref["key"] in secret["stringData"], name
    assert len(images) == 1, f"the Ray pods run different images: {images}"


def test_config_map_holds_settings():
    from compiler_service.settings import Settings

    data = _one("ConfigMap")["data"]
    assert all(isinstance(v, str) for v in data.values()), "ConfigMap values must be strings"
    fields = {f"DOSSIER_{name.upper()}" for name in Settings.model_fields}
    assert set(data) <= fields, f"not settings: {set(data) - fields}"
    assert "DOSSIER_DATABASE_URL" not in data, "the database URL belongs in the Secret"


def test_secret_example_is_only_an_example():
    secret = _one("Secret")
    url = secret["stringData"]["database-url"]
    assert url.startswith("postgresql+psycopg://")
    assert all("CHANGE-ME" in value for value in secret["stringData"].values()), "placeholders only"


def test_service_monitor_scrapes_the_serve_service(rayservice, serve_config):
    monitors = [d for docs in _documents().values() for d in docs if d["kind"] == "ServiceMonitor"]
    if not monitors:
        pytest.skip("no ServiceMonitor")
    (monitor,) = monitors
    # KubeRay labels the serve service `ray.io/serve: <RayService name>-serve`
    assert monitor["spec"]["selector"]["matchLabels"] == {"ray.io/serve": f"{rayservice['metadata']['name']}-serve"}
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics"
    # /metrics takes the operator token, from the Secret
    secret = _one("Secret")
    credentials = endpoint["authorization"]["credentials"]
    assert endpoint["authorization"].get("type", "Bearer") == "Bearer"
    assert credentials["name"] == secret["metadata"]["name"] and credentials["key"] in secret["stringData"]
    ports = {p["name"]: p["containerPort"] for p in _container(_groups(rayservice)["head"])["ports"]}
    assert ports[endpoint["port"]] == serve_config["http_options"]["port"]


def _relabel(rules: list[dict], name: str) -> str | None:
    """A metric name after Prometheus' metric relabeling (`keep` and `replace` on __name__, regexes
    anchored at both ends): None when dropped."""
    for rule in rules:
        assert rule["sourceLabels"] == ["__name__"]
        match = re.fullmatch(rule["regex"], name)
        if rule.get("action", "replace") == "keep":
            if not match:
                return None
        elif match and rule["targetLabel"] == "__name__":
            name = match.expand(re.sub(r"\$(\d+)", r"\\\1", rule["replacement"]))
    return name


@pytest.fixture(scope="module")
def exposed(tmp_path_factory) -> tuple[set[str], set[str]]:
    """The metric names of a real /metrics: those read from the database, and the replica's own."""
    from compiler_service.metrics import ServiceMetrics
    from compiler_service.store import JobStore

    store = JobStore(f"sqlite:///{tmp_path_factory.mktemp('metrics') / 'dossier.db'}")
    metrics = ServiceMetrics(store)
    metrics.job_finished(3, {"ocr": 1.0}, 2.0)
    metrics.batch("reader", 3)
    names = {family.name: {s.name for s in family.samples} for family in metrics.registry.collect()}
    from_database = names.pop("dossier_jobs") | names.pop("dossier_queue_depth")
    store.engine.dispose()
    return from_database, set().union(*names.values())


def test_each_metric_is_scraped_from_where_it_adds_up(rayservice, exposed):
    """The job counts from /metrics (the database's, alike through any replica); each replica's own
    series from Ray's exporter on every Ray pod, which the PodMonitor names as /metrics does."""
    from_database, per_replica = exposed
    monitors = {d["kind"]: d for docs in _documents().values() for d in docs if d["kind"] in ("ServiceMonitor", "PodMonitor")}
    if not monitors:
        pytest.skip("no monitors")
    (endpoint,) = monitors["ServiceMonitor"]["spec"]["endpoints"]
    assert {n for n in from_database | per_replica if _relabel(endpoint["metricRelabelings"], n)} == from_database

    pods = monitors["PodMonitor"]["spec"]
    (ray_endpoint,) = pods["podMetricsEndpoints"]
    for name in per_replica - {"dossier_pages_per_second"}:  # a rate over this replica's last minute: rate() of the counter instead
        assert _relabel(ray_endpoint["metricRelabelings"], f"ray_{name}") == name
    assert _relabel(ray_endpoint["metricRelabelings"], "ray_serve_num_http_requests_total") == "ray_serve_num_http_requests_total"
    # every Ray pod is selected (KubeRay adds ray.io/is-ray-node) and names Ray's metrics port (8080 unless rayStartParams move it)
    for name, group in _groups(rayservice).items():
        labels = group["template"]["metadata"]["labels"] | {"ray.io/is-ray-node": "yes"}
        assert pods["selector"]["matchLabels"].items() <= labels.items(), name
        ports = {p["name"]: p["containerPort"] for p in _container(group).get("ports", [])}
        assert ports.get(ray_endpoint["port"]) == int(group["rayStartParams"].get("metrics-export-port", 8080)), name
