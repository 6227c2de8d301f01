"""Settings left at 0 take the device's best batch sizes; explicit ones are kept."""

from compiler_service.settings import Settings


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
