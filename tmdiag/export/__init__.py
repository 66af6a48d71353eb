"""Exports of a model and its findings: Open Threat Model 0.2.0 (`otm`), tmdiag's own model JSON
(`model_json`, docs/schemas/model.schema.json) and a standalone pytm script (`pytm_script`).
They read the model and the analysis; `tmdiag export` runs the pipeline. Docs: docs/export.md.
"""
