"""Check types, one per module, named by the key rules use in `check:` (discovered by checks.registry)."""
