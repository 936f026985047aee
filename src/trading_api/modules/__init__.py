"""Backend modules: one sub-package per module, discovered from this folder at start-up."""
