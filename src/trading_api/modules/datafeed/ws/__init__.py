"""WebSocket topic declarations of the datafeed module: one `v<N>.py` file per API version."""
