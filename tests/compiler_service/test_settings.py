"""Settings left at 0 take the device's best batch sizes; explicit ones are kept. `dossier
settings` lists them all, and a bad value is one line naming it."""

import pytest
from typer.testing import CliRunner

from compiler_service.cli import app
from compiler_service.settings import Settings

runner = CliRunner()


def test_cpu_reads_page_by_page_and_line_by_line():
    s = Settings()
    assert (s.read_batch, s.read_ahead, s.recognition_batch) == (1, 1, 1)


def test_a_gpu_reads_in_batches():
    s = Settings(execution_provider="CUDAExecutionProvider")
    assert (s.read_batch, s.read_ahead, s.recognition_batch) == (16, 32, 64)


def test_explicit_sizes_are_kept(monkeypatch):
    monkeypatch.setenv("DOSSIER_READ_AHEAD", "3")
    s = Settings(execution_provider="CUDAExecutionProvider", read_batch=4)
    assert (s.read_batch, s.read_ahead, s.recognition_batch) == (4, 3, 64)



def test_settings_lists_every_setting_with_its_variable_value_default_and_meaning(monkeypatch):
    monkeypatch.setenv("DOSSIER_DPI", "300")
    result = runner.invoke(app, ["settings"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "DOSSIER_DPI=300" in lines
    listed = " ".join(result.stdout.split())
    assert "rasterizing resolution for PDF pages. A whole number from 50 to 600; default 200." in listed
    for name, info in Settings.model_fields.items():
        assert info.description, f"{name} says nothing of what it does"
        assert f"DOSSIER_{name.upper()}=" in result.stdout
        assert " ".join(info.description.split()) in listed


@pytest.mark.parametrize("args, env, line", [
    (["--dpi", "1000"], {}, "error: --dpi 1000: must be a whole number from 50 to 600"),
    ([], {"DOSSIER_DPI": "abc"}, "error: DOSSIER_DPI=abc: must be a whole number from 50 to 600"),
    ([], {"DOSSIER_UNREADABLE_PAGES": "skip"}, "error: DOSSIER_UNREADABLE_PAGES=skip: must be one of exclude, fail"),
    (["--profile", "nosuch.yaml"], {}, "error: --profile nosuch.yaml: no such file or directory"),
])
def test_a_bad_value_is_one_error_line_naming_it_and_what_is_allowed(tmp_path, args, env, line):
    result = runner.invoke(app, ["compile", str(tmp_path), "--output", str(tmp_path / "out"), *args], env=env)
    assert result.exit_code == 2 and result.output == line + "\n"


def test_a_profile_without_volumes_is_named_by_any_command(tmp_path):
    profile = tmp_path / "agency.yaml"
    profile.write_text("profile: agency\ntypes: []\n", encoding="utf-8")
    for args in (["compile", str(tmp_path), "--output", str(tmp_path / "out"), "--profile", str(profile)], ["settings"]):
        result = runner.invoke(app, args, env={"DOSSIER_TAXONOMY": str(profile)})
        assert result.exit_code == 2 and len(result.output.splitlines()) == 1, result.output
        assert result.output.startswith(f"error: {'--profile' if '--profile' in args else 'DOSSIER_TAXONOMY='}")
        assert f"{profile}: no `volumes:` list; a profile names its volumes" in result.output
