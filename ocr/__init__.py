"""Turning scanned sources into upright page images with text lines and layout regions; also the
bottom floor's shared helpers (`output.py`: folders written whole). Imports no other package of ours."""
