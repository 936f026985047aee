"""Pydantic models of the API, one file per domain; component names are unique app-wide."""
