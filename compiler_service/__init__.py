"""The dossier compiler's entry points: the CLI now, the service later, and the pipeline wiring."""
