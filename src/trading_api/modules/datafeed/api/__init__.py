"""HTTP API versions of the datafeed module: one `v<N>.py` file per version."""
