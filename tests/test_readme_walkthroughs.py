"""The READMEs' walkthroughs, one test per role, run as a reader who has never seen the project
runs them: every fenced block right after a `<!-- walkthrough: ROLE -->` comment, in the order of
WALKTHROUGHS, run by bash (`set -euo pipefail`) in a new folder with a new home, nothing of ours
in the environment, and the installed `.venv` reachable there as the READMEs name it (`.venv/bin/dossier`)
and first on PATH. Nothing is written into the checkout.

Left out, because they cannot run here and so stay unmarked: `make install` / `make test` /
`make demo` / `make train` / `make accuracy` (apt-get, and minutes to hours), `dossier review --open`
and `--host 0.0.0.0` (a browser, another machine), `dossier serve` on Ray (15-30 s and a core of its
own; the walkthroughs serve `--no-ray`), the Python client example (the same calls as `dossier
submit`), the corrections export (needs a dossier saved in the review page's browser; the ML
walkthrough imports a compiled one instead), and everything of k8s/README.md but its one-machine
section: kubectl, helm, podman/docker, tritonserver, Prometheus.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# role -> README -> how many marked blocks it holds: a block that loses its mark fails the test
WALKTHROUGHS = {
    "clerk": {"README.md": 4},
    "platform": {"README.md": 2},
    "ml": {"README.md": 1, "models/README.md": 1},
    "ops": {"k8s/README.md": 1},
}
MARK = re.compile(r"<!-- walkthrough: (\w+) -->")
BLOCK = re.compile(r"^<!-- walkthrough: (\w+) -->\n```[\w-]*\n(.*?)^```$", re.M | re.S)


def _blocks(role: str) -> str:
    script = []
    for name, count in WALKTHROUGHS[role].items():
        text = (ROOT / name).read_text(encoding="utf-8")
        found = BLOCK.findall(text)
        # a mark whose fenced block does not follow at once would silently drop that block
        assert [r for r, _ in found] == MARK.findall(text), f"{name}: a walkthrough mark not right before a fenced block"
        mine = [body for r, body in found if r == role]
        assert len(mine) == count, f"{name}: {len(mine)} blocks marked `walkthrough: {role}`, expected {count}"
        script += mine
    return "\n".join(script)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def walk(role: str, tmp_path: Path, timeout: float) -> tuple[str, Path, Path]:
    """Run the role's walkthrough; its output (stdout and stderr), working folder and home."""
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    (work / ".venv").symlink_to(Path(sys.prefix))  # the venv running the tests is the checkout's, as `make install` made it
    # a reader's environment: none of ours (tests/conftest.py sets DOSSIER_DATA_DIR for the other tests)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env |= {"HOME": str(home), "PATH": f"{Path(sys.prefix) / 'bin'}{os.pathsep}{env.get('PATH', '')}", "PORT": str(_free_port())}
    log = tmp_path / "walkthrough.log"
    with log.open("w") as out:
        # a file, not a pipe: a server left in the background would hold a pipe open past bash's exit;
        # its own session, so that everything it started is stopped with it
        proc = subprocess.Popen(["bash", "-c", "set -euo pipefail\n" + _blocks(role)], cwd=work, env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # servers a failed step left running
            except ProcessLookupError:
                pass
    text = log.read_text(encoding="utf-8", errors="replace")
    if code != 0:  # with what the servers it started logged
        logs = "".join(f"\n--- {f.name}:\n{f.read_text(errors='replace')[-3000:]}" for f in sorted(work.glob("*.log")))
        pytest.fail(f"the {role} walkthrough failed (exit {code}):\n{text[-6000:]}{logs}")
    return text, work, home


def test_clerk_generates_compiles_checks_verifies_and_reviews(tmp_path):
    out, work, _ = walk("clerk", tmp_path, timeout=300)
    assert (work / "out" / "dossier.pdf").is_file() and "page type accuracy" in out.lower()
    assert "required_document_missing" in out  # the findings listed from catalog.json
    assert "verified:" in out
    assert re.search(r"^200\n401$", out, re.M)  # the link signed in once, then opened nothing


def test_platform_developer_serves_uploads_with_curl_and_submit(tmp_path):
    out, work, _ = walk("platform", tmp_path, timeout=300)
    quick = work / "quick"
    assert json.loads((quick / "catalog.json").read_text(encoding="utf-8"))["documents"]
    assert (quick / "dossier.pdf").read_bytes().startswith(b"%PDF")
    assert {p.name for p in (quick / "out").iterdir()} == {"dossier.pdf", "catalog.json", "manifest.json", "manifest.sig"}
    assert '"total":1' in out  # `dossier submit` with the upload's Idempotency-Key followed that job
    assert 'dossier_jobs{state="done"} 1.0' in out


def test_ml_engineer_retrains_outside_the_checkout_and_compiles_with_the_model(tmp_path):
    out, work, home = walk("ml", tmp_path, timeout=420)
    model = home / ".local" / "share" / "dossier" / "page-models" / "v2"
    assert (model / "model.onnx").is_file() and not (work / "v2").exists()  # the models folder, not the working folder
    assert "use it with --model v2," in out and re.search(r"^v2 \(in use\)", out, re.M)
    manifest = json.loads((work / "out-v2" / "manifest.json").read_text(encoding="utf-8"))
    assert "page_model v2" in manifest["software"]["models"]
    assert (work / "my-triton" / "page-model-v2" / "config.pbtxt").is_file()


def test_ops_runs_the_service_with_its_settings_probes_metrics_and_keys(tmp_path):
    out, work, home = walk("ops", tmp_path, timeout=120)
    assert "error: DOSSIER_DPI=abc: must be a whole number from 50 to 600" in out and "exit 2" in out
    assert '"status":"ready"' in out and "dossier_queue_depth" in out
    assert re.search(r"^200\n.*revoked at .*\n401$", out, re.M)  # the key worked, then not once revoked
    assert (work / "dossier-data" / "dossier.db").is_file() and not (home / ".local").exists()  # DOSSIER_DATA_DIR was used
