"""Turning scanned sources into upright page images with text lines and layout regions."""
