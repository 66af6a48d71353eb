"""The typed model: frozen dataclasses with source spans (`nodes`), the attribute schema (`schema`),
risk levels and statuses (`levels`), the tree → model builder (`build`) and anchors (`anchors`)."""
