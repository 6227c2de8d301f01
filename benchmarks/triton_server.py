"""A real Triton Inference Server on loopback, from the `nvidia-pytriton` wheel (it runs on a CPU).

The wheel ships `tritonserver` with the Python backend only, so the repository is written with
`--flavour python` (onnxruntime inside Triton) and `--kind cpu`. Production serves the same configs
with Triton's onnxruntime backend from an NGC image.

    .venv/bin/python -m benchmarks.triton_server --repository /tmp/triton   # fills it, serves until Ctrl-C
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from importlib.util import find_spec
from pathlib import Path

import httpx

from benchmarks.service import free_port, wait_until_ready


def server_dist() -> Path | None:
    """The wheel's `tritonserver` folder, or None where nvidia-pytriton is not installed."""
    spec = find_spec("pytriton")
    if spec is None or not spec.submodule_search_locations:
        return None
    dist = Path(next(iter(spec.submodule_search_locations))) / "tritonserver"
    return dist if (dist / "bin" / "tritonserver").exists() else None


class TritonServer:
    """`tritonserver` over a model repository, on free loopback ports, in its own session."""

    def __init__(self, repository: Path, log: Path):
        dist = server_dist()
        if dist is None:
            raise RuntimeError("nvidia-pytriton is not installed: `make install` puts its tritonserver in .venv")
        self.repository, self.log = repository, log
        self.http_port = free_port()
        self.url = f"127.0.0.1:{self.http_port}"
        self._dist = dist
        self._work = Path(tempfile.mkdtemp(prefix="dossier-triton-"))
        self.proc: subprocess.Popen | None = None

    def _prepare(self) -> Path:
        """The server's folder with the Python backend stub built for this interpreter, as the
        wheel's own launcher does."""
        server = self._work / "tritonserver"
        shutil.copytree(self._dist, server, ignore=shutil.ignore_patterns("python_backend_stubs"))
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        shutil.copy(self._dist / "python_backend_stubs" / version / "triton_python_backend_stub", server / "backends" / "python")
        return server

    def start(self, timeout_s: float = 120) -> None:
        server = self._prepare()
        libs = [str(self._dist.parent.parent / "nvidia_pytriton.libs"), sysconfig.get_config_var("LIBDIR") or ""]
        env = os.environ | {
            # the stub embeds this interpreter's libpython and finds the venv (numpy, onnxruntime)
            # through the python first on PATH
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
            "LD_LIBRARY_PATH": ":".join(filter(None, [*libs, os.environ.get("LD_LIBRARY_PATH", "")])),
        }
        ports = ["--http-port", str(self.http_port), "--grpc-port", str(free_port()), "--allow-metrics", "false"]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([str(server / "bin" / "tritonserver"), "--model-repository", str(self.repository),
                                          "--backend-directory", str(server / "backends"), "--http-address", "127.0.0.1", *ports],
                                         env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_until_ready(self.proc, self.ready, self.log, "tritonserver", timeout_s)
        except RuntimeError:
            self.stop()
            raise

    def ready(self) -> bool:
        try:
            return httpx.get(f"http://{self.url}/v2/health/ready", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self._work, ignore_errors=True)

    def __enter__(self) -> TritonServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repository", type=Path, required=True, help="folder to fill with the models and serve")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compiler_service.cli", "models", "triton", "--output", str(args.repository),
                    "--kind", "cpu", "--flavour", "python"], check=True)
    with TritonServer(args.repository.resolve(), args.repository.with_name(args.repository.name + "-server.log")) as server:
        print(f"Triton is serving {args.repository} at {server.url}: DOSSIER_INFERENCE_BACKEND=triton DOSSIER_TRITON_URL={server.url}",
              flush=True)
        try:
            server.proc.wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
