"""The desk's pages: full screens, one module each, built from widgets that own their keys.
Pages never import each other: they open one another through the app (pyproject's import contracts)."""
