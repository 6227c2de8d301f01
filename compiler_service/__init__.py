"""The dossier compiler's entry points: the CLI, the service and the pipeline wiring. May import
`ocr`, `classification`, `cataloging`; `casegen` only inside `synth`/`eval`/`train` (tests/test_layers.py)."""
