"""The Containerfile builds the image the manifests in k8s/ name: it parses (FROM first, known
instructions), and what it installs, exposes, runs and runs as matches what the manifests rely on.

Nothing is built here (no registry is reachable); these are checks of the files only.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
K8S = ROOT / "k8s"
INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
                "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
# the Debian packages of the fonts cataloging/assemble.py sets the dossier PDF in
FONT_PACKAGES = {"uming.ttc": "fonts-arphic-uming", "wqy-zenhei.ttc": "fonts-wqy-zenhei"}


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, backslash continuations joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        keyword, _, args = whole.partition(" ")
        out.append((keyword, args.strip()))
    assert not pending, "the Containerfile ends in a continued line"
    return out


@pytest.fixture(scope="module")
def steps() -> list[tuple[str, str]]:
    return _instructions(CONTAINERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rayservice() -> dict:
    return yaml.safe_load((K8S / "rayservice.yaml").read_text(encoding="utf-8"))


def _args(steps, keyword: str) -> list[str]:
    return [args for k, args in steps if k == keyword]


def _defaults(steps) -> dict[str, str]:
    found = {}
    for args in _args(steps, "ARG"):
        name, _, value = args.partition("=")
        found[name] = value.strip('"')
    return found


def _env(steps) -> dict[str, str]:
    found = {}
    for args in _args(steps, "ENV"):
        for item in shlex.split(args):
            name, _, value = item.partition("=")
            found[name] = value
    return found


def _containers(rayservice: dict) -> list[dict]:
    cluster = rayservice["spec"]["rayClusterConfig"]
    pods = [cluster["headGroupSpec"]["template"]["spec"]] + [g["template"]["spec"] for g in cluster["workerGroupSpecs"]]
    return [c for pod in pods for c in pod["containers"]]


def _exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), f"not the exec form: {args}"
    return value


def test_it_parses(steps):
    assert steps, "an empty Containerfile"
    assert steps[0][0] == "FROM", f"the first instruction is {steps[0][0]}, not FROM"
    unknown = [k for k, _ in steps if k not in INSTRUCTIONS]
    assert not unknown, f"unknown instructions: {unknown}"
    assert all(args for _, args in steps), "an instruction without arguments"
    assert len(_args(steps, "ENTRYPOINT")) == 1 and len(_args(steps, "CMD")) == 1
    base = steps[0][1].split()[0]
    assert re.fullmatch(r"(docker\.io/(library/)?)?(python:[\d.]+-slim(-\w+)?|debian:\w+-slim)", base), f"not a Debian/python slim base: {base}"


def test_what_it_copies_exists(steps):
    for args in _args(steps, "COPY"):
        assert not args.startswith("--from"), "one stage: nothing copied from another"
        *sources, _target = args.split()
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"


def test_it_is_the_image_of_the_manifests(rayservice):
    images = {c["image"] for c in _containers(rayservice)}
    assert len(images) == 1, f"the manifests name several images: {images}"
    image = images.pop()
    text = CONTAINERFILE.read_text(encoding="utf-8")
    assert f"-t {image} " in text, f"the Containerfile's build command does not tag {image}, the manifests' image"


def test_it_holds_the_ray_of_the_manifests(steps, rayservice):
    defaults = _defaults(steps)
    assert defaults.get("RAY_VERSION") == rayservice["spec"]["rayClusterConfig"]["rayVersion"]
    install = " ".join(_args(steps, "RUN"))
    assert '"ray[serve]==${RAY_VERSION}"' in install
    assert "psycopg[binary]" in install, "the manifests' DOSSIER_DATABASE_URL is postgresql+psycopg://"


def test_it_holds_the_gpu_runtime_the_serve_config_asks_for(steps, rayservice):
    serve_config = yaml.safe_load(rayservice["spec"]["serveConfigV2"])
    provider = serve_config["applications"][0]["args"]["execution_provider"]
    assert provider == "CUDAExecutionProvider"
    assert _defaults(steps).get("ONNXRUNTIME") == "onnxruntime-gpu", "the GPU runtime by default, onnxruntime by build arg"
    install = " ".join(_args(steps, "RUN"))
    assert "pip uninstall -y onnxruntime" in install and "onnxruntime-gpu" in install
    assert "nvidia/cudnn/lib" in _env(steps).get("LD_LIBRARY_PATH", ""), "onnxruntime-gpu would not find cuDNN"


def test_the_lean_install_and_the_system_packages(steps):
    install = " ".join(_args(steps, "RUN"))
    assert re.search(r'pip install "/src(\[ray\])?"', install), "the package, from the copied sources"
    for extra in ("train", "synth", "bench", "test"):
        assert f"[{extra}" not in install and f",{extra}" not in install, f"the image takes the {extra} extra"
    packages = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", install.split("apt-get install", 1)[1].split("&&")[0]))
    assert {"poppler-utils", "qpdf"} <= packages
    assemble = (ROOT / "cataloging" / "assemble.py").read_text(encoding="utf-8")
    for font, package in FONT_PACKAGES.items():
        assert font in assemble and package in packages, f"{package} ({font}, a font of the PDF)"


def test_ports(steps, rayservice):
    exposed = {int(p.split("/")[0]) for args in _args(steps, "EXPOSE") for p in args.split()}
    ports = {p["containerPort"] for c in _containers(rayservice) for p in c.get("ports", [])}
    assert ports <= exposed, f"ports the manifests use and the image does not expose: {sorted(ports - exposed)}"
    serve_port = yaml.safe_load(rayservice["spec"]["serveConfigV2"])["http_options"]["port"]
    command = _exec_form(_args(steps, "CMD")[0])
    assert command[command.index("--port") + 1] == str(serve_port), "`dossier serve` listens where Serve's proxy does"
    assert command[command.index("--host") + 1] == "0.0.0.0"


def test_entrypoint(steps, rayservice):
    # KubeRay gives the Ray containers its own command (`ray start` through bash): the manifests set
    # none, so the image's entrypoint is for `podman run`; `ray` must be on the login shell's PATH
    # (/usr/local/bin, where the image's Python installs it)
    assert not any("command" in c for c in _containers(rayservice))
    assert _exec_form(_args(steps, "ENTRYPOINT")[0]) == ["dossier"]
    assert _exec_form(_args(steps, "CMD")[0])[0] == "serve"
    assert not any("venv" in args for args in _args(steps, "RUN")), "a venv's bin is not on `bash -l`'s PATH"


def test_user_and_data_folder(steps, rayservice):
    users = _args(steps, "USER")
    assert users, "the image runs as root"
    user = users[-1].split(":")[0]
    assert user.isdigit() and int(user) != 0, f"USER {user}: give a numeric, non-root user id"
    wanted = {c.get("securityContext", {}).get("runAsUser") for c in _containers(rayservice)} - {None}
    cluster = rayservice["spec"]["rayClusterConfig"]
    for pod in [cluster["headGroupSpec"]["template"]["spec"]] + [g["template"]["spec"] for g in cluster["workerGroupSpecs"]]:
        wanted |= {pod.get("securityContext", {}).get("runAsUser")} - {None}
    assert wanted <= {int(user)}, f"the manifests run as {wanted}, the image as {user}"
    config = next(d for d in yaml.safe_load_all((K8S / "config.yaml").read_text(encoding="utf-8")) if d and d["kind"] == "ConfigMap")
    data_dir = config["data"]["DOSSIER_DATA_DIR"]
    assert _env(steps).get("DOSSIER_DATA_DIR") == data_dir
    assert f"chown -R {user}:0 {data_dir}" in " ".join(_args(steps, "RUN")), "the data folder, writable by the user"
