"""Page classification: the document type of each page and where documents start; the taxonomy
contract (`taxonomy.py`, `spec/`) that the catalog shares. May import `ocr` only."""
