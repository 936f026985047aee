"""HTTP API versions of the broker module: one `v<N>.py` file per version."""
