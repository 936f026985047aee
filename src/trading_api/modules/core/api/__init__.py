"""HTTP API versions of the core module: one `v<N>.py` file per version."""
