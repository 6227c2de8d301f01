"""Schemathesis, an OpenAPI property-based fuzzer, against a real `dossier serve --no-ray` for a
short run with a fixed seed (`make fuzz-api` runs it for longer, on either database): no 5xx, no
status the OpenAPI document does not name, every response as the document describes it."""

from benchmarks.fuzz_api import CONFORMANCE, fuzz


def test_the_api_under_the_fuzzer_answers_only_as_documented(tmp_path):
    summary = fuzz(30, "sqlite", tmp_path)
    report = {k: summary.get(k) for k in ("statuses", "failed_checks", "service_errors", "schemathesis_output")}
    assert summary["requests"] > 300, report  # it did run
    assert summary["server_errors"] == 0, report
    assert not any(summary["failed_checks"].get(check) for check in CONFORMANCE), report
    assert {401, 404, 405, 422} <= set(summary["statuses"]), report  # the refusals were reached, not only the happy path
