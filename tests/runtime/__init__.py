"""Tests of the runtime backend (trading_api), on a real uvicorn server where HTTP is involved."""
