"""An independent generator of scanned criminal case files (刑事案件卷宗) with their truth.

Written apart from ``casegen/synthetic`` so that the compiler can be measured on case files
it was not trained on: other fonts, wording, layouts and scan damage. ``generate_case(seed, pages,
output)`` writes ``output/scans/*`` and ``output/truth.json`` (schema ``dossier-truth/1``).
"""

from .case import generate_case

__all__ = ["generate_case"]
