"""Modular FastAPI trading backend: simulated broker and market data, one package per module."""
