"""WebSocket topic declarations of the broker module: one `v<N>.py` file per API version."""
