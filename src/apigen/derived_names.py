"""Names derived from a module's folder name: one place, so the backend contract, the
generated files and the clients index can never disagree."""

from __future__ import annotations


def camel_case(snake: str) -> str:
    """`market_data` -> `MarketData`."""
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def module_class_name(module: str) -> str:
    """The class a module's `__init__.py` must define: `broker` -> `BrokerModule`."""
    return f"{camel_case(module)}Module"


def client_class_name(module: str, version: int) -> str:
    """The generated sync client class: (`broker`, 1) -> `BrokerV1Client`."""
    return f"{camel_case(module)}V{version}Client"


def async_client_class_name(module: str, version: int) -> str:
    """The generated async client class: (`broker`, 1) -> `AsyncBrokerV1Client`."""
    return f"Async{client_class_name(module, version)}"


def ws_client_class_name(module: str, version: int) -> str:
    """The generated WebSocket client class: (`datafeed`, 1) -> `DatafeedV1WsClient`."""
    return f"{camel_case(module)}V{version}WsClient"
