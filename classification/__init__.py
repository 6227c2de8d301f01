"""Page classification: the document type of each page and where documents start."""
