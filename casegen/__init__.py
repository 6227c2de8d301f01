"""The test benches: case generators (`synthetic`, `independent`, `forms`, by name in `cases`),
the truth format they share (`dossier-truth/1`), and the scorer behind `dossier eval` (`evaluate`).
Top floor: may import any package; nothing in ocr, classification, cataloging or compiler_service
imports it, except `dossier synth`/`eval`/`train` inside their command functions (tests/test_layers.py).
"""
