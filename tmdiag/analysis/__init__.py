"""Analyses: read the model, return values (diagnostics, findings, risk). Never parse."""
