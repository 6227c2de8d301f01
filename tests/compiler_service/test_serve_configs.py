"""The shipped Serve config files pass Ray's own schema and name deployments the app has."""

from pathlib import Path

import pytest
import yaml

pytest.importorskip("ray")
from ray.serve.deployment import Application  # noqa: E402
from ray.serve.schema import ServeDeploySchema  # noqa: E402

CONFIGS = sorted((Path(__file__).parents[2] / "compiler_service" / "serve_configs").glob("*.yaml"))


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_config_is_valid_for_ray_serve_and_matches_the_application(path, tmp_path, monkeypatch):
    from compiler_service import serve_app

    config = ServeDeploySchema.model_validate(yaml.safe_load(path.read_text()))
    (application,) = config.applications
    assert application.import_path == "compiler_service.serve_app:app"
    monkeypatch.setenv("DOSSIER_DATA_DIR", str(tmp_path))
    bound = serve_app.app(application.args)._bound_deployment
    # the application's deployments: the ingress and the stage deployments bound to it
    names = {bound.name} | {arg._bound_deployment.name for arg in bound.init_args if isinstance(arg, Application)}
    assert {d.name for d in application.deployments} == names == {"Ingress", "Rasterizer", "Reader", "Labeler", "Assembler"}


def test_there_are_configs_for_cpu_and_gpu():
    assert [p.name for p in CONFIGS] == ["gpu-node.yaml", "local-cpu.yaml"]
