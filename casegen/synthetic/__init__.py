"""Synthetic case files (刑事案件卷宗): scanned pages plus their ground truth.

    from casegen.synthetic import generate_case
    truth_path = generate_case(pages=80, seed=7, output=Path("demo"))

writes `demo/scans/` (a scanned PDF, a multi-page TIFF, single JPEG/PNG images) and
`demo/truth.json`. Modules, in the order the generator uses them:

- `case`, `places`: the people, organs and timeline of one case;
- `scenarios`, `dialogue`, `wording`: what happened and how documents word it;
- `plan`: which documents, how many pages each;
- `procedural`, `records`, `evidence`: one builder per kind of document, on top of
  `compose` (document elements) and `layout` (pages in millimetres, truth text);
- `render`, `marks`, `fonts`: drawing a page, seals, fingerprints, handwriting;
- `stream`, `damage`, `writer`: scan order, scan damage, files and truth.json.
"""

from .generate import generate_case

__all__ = ["generate_case"]
