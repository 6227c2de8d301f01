"""From labelled pages to an ordered dossier: segmentation, extraction, ordering, catalog, PDF.
May import `ocr` and `classification`."""
