"""Outputs: read the model and analysis results; never parse, never call pytm."""
