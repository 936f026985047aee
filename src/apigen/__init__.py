"""apigen: the incremental doit build graph that generates specs and clients for trading_api.

Importing this package must stay cheap: the no-op `doit generate` path imports it, and may
not pull in fastapi, pydantic, black, jinja2 or trading_api (see docs/architecture.md).
"""
