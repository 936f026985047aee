"""Simulated market data feed: configuration, symbol search and resolution, history bars, quotes.

Bars are a pure function of (symbol, open time, resolution), so the same request always returns
the same bars. The market trades 24x7 in UTC; bar open times are multiples of the bar size since
the Unix epoch (weekly bars open on Mondays).

WebSocket topics replay the simulation forward from the moment a topic opens, one step per
`update_interval` seconds: `bars` publishes the next bar each step (starting with the bar open
at that moment), `quotes` the quotes of each symbol one simulated second later than the last.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from pydantic import BaseModel

from trading_api.models.market_data import (
    BarPublic,
    BarsSubscriptionRequest,
    DatafeedConfigPublic,
    ExchangePublic,
    QuotePublic,
    QuotesSubscriptionRequest,
    Resolution,
    SymbolInfoPublic,
    SymbolMatchPublic,
    SymbolType,
    SymbolTypePublic,
)
from trading_api.shared.market_simulation import (
    EXCHANGE_DESCRIPTIONS,
    SYMBOLS,
    SimulatedClock,
    SimulatedSymbol,
    bar_at,
    find_symbol,
    price_at,
    round_to_tick,
    spread,
)
from trading_api.shared.service_errors import InvalidInputError, NotFoundError
from trading_api.shared.ws import ActiveTopics, Producer, Publish

MAX_BARS: Final = 5_000
# Latest time a history request may name: 9999-12-31 23:59:59 UTC, the last second a datetime
# can hold (and far below 2**53, so every bar time is exact in a JavaScript number too).
MAX_TIME: Final = 253_402_300_799
RESOLUTION_SECONDS: Final = {
    Resolution.MINUTE_1: 60,
    Resolution.MINUTE_5: 5 * 60,
    Resolution.MINUTE_15: 15 * 60,
    Resolution.MINUTE_30: 30 * 60,
    Resolution.HOUR_1: 60 * 60,
    Resolution.HOUR_4: 4 * 60 * 60,
    Resolution.DAY_1: 86_400,
    Resolution.WEEK_1: 7 * 86_400,
}
# Unix time 0 was a Thursday: shifting by four days makes weekly bars open on Mondays.
_WEEK_OFFSET: Final = 4 * 86_400

# WebSocket routes the datafeed serves (declared in ws/v1.py)
BARS_ROUTE: Final = "bars"
QUOTES_ROUTE: Final = "quotes"


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _bar_grid(resolution: Resolution) -> tuple[int, int]:
    """(bar length, offset): bar open times are `offset + k * length`."""
    return RESOLUTION_SECONDS[resolution], _WEEK_OFFSET if resolution is Resolution.WEEK_1 else 0


class DatafeedService:
    """Answers datafeed requests from the deterministic market simulation."""

    def __init__(self, clock: SimulatedClock | None = None, update_interval: float = 1.0) -> None:
        self._clock = clock if clock is not None else SimulatedClock()
        self.update_interval = update_interval  # seconds between topic updates
        self.ws_topics = ActiveTopics()

    def configuration(self) -> DatafeedConfigPublic:
        """Resolutions, exchanges, symbol types and currencies the feed supports."""
        exchanges = dict.fromkeys(symbol.exchange for symbol in SYMBOLS.values())
        return DatafeedConfigPublic(
            supported_resolutions=list(Resolution),
            exchanges=[
                ExchangePublic(value=name, name=name, description=EXCHANGE_DESCRIPTIONS[name])
                for name in exchanges
            ],
            symbol_types=[SymbolTypePublic(name=t.value.title(), value=t) for t in SymbolType],
            currency_codes=sorted({symbol.currency for symbol in SYMBOLS.values()}),
            max_bars=MAX_BARS,
        )

    def search_symbols(
        self,
        query: str,
        exchange: str | None = None,
        symbol_type: SymbolType | None = None,
        limit: int = 30,
    ) -> list[SymbolMatchPublic]:
        """Symbols whose ticker or description contains `query` (any case); tickers starting
        with it come first. An empty query matches every symbol."""
        needle = query.strip().upper()
        matches = [
            symbol
            for symbol in SYMBOLS.values()
            if (needle in symbol.ticker or needle in symbol.description.upper())
            and (exchange is None or symbol.exchange == exchange.upper())
            and (symbol_type is None or symbol.type is symbol_type)
        ]
        matches.sort(key=lambda symbol: (not symbol.ticker.startswith(needle), symbol.ticker))
        return [
            SymbolMatchPublic(
                symbol=symbol.ticker,
                full_name=symbol.full_name,
                description=symbol.description,
                exchange=symbol.exchange,
                type=symbol.type,
            )
            for symbol in matches[:limit]
        ]

    def resolve_symbol(self, name: str) -> SymbolInfoPublic:
        """Full description of a symbol ("AAPL" or "NASDAQ:AAPL"); 404 if unknown."""
        symbol = self._symbol(name)
        return SymbolInfoPublic(
            name=symbol.ticker,
            ticker=symbol.ticker,
            full_name=symbol.full_name,
            description=symbol.description,
            type=symbol.type,
            exchange=symbol.exchange,
            currency_code=symbol.currency,
            pricescale=symbol.pricescale,
            supported_resolutions=list(Resolution),
        )

    def history(
        self,
        symbol_name: str,
        resolution: Resolution,
        from_time: int,
        to_time: int,
        countback: int | None = None,
    ) -> list[BarPublic]:
        """Bars opening in [from_time, to_time), oldest first.

        With `countback`, exactly the `countback` bars before `to_time` (from_time is then only
        checked, as in the TradingView datafeed protocol). 404 for an unknown symbol; 422 when
        from_time >= to_time or the range holds more than MAX_BARS bars.
        """
        symbol = self._symbol(symbol_name)
        if from_time >= to_time:
            raise InvalidInputError(
                ("query", "to"),
                f"`to` ({to_time}) must be later than `from` ({from_time})",
                to_time,
            )
        length, offset = _bar_grid(resolution)
        last = _ceil_div(to_time - offset, length) - 1
        first = (
            last - countback + 1 if countback is not None else _ceil_div(from_time - offset, length)
        )
        first = max(first, _ceil_div(-offset, length))  # no bar before the Unix epoch
        if last - first + 1 > MAX_BARS:
            raise InvalidInputError(
                ("query", "from"),
                f"the range holds {last - first + 1} bars of resolution {resolution.value}, "
                f"more than {MAX_BARS}; narrow from/to or pass countback",
                from_time,
            )
        return [self._bar(symbol, offset + k * length, length) for k in range(first, last + 1)]

    def quotes(self, symbol_names: list[str]) -> list[QuotePublic]:
        """Current quotes of `symbol_names`, in the order asked; 404 naming any unknown ones."""
        unknown = [name for name in symbol_names if find_symbol(name) is None]
        if unknown:
            raise NotFoundError(
                f"unknown symbols: {', '.join(map(repr, unknown))}; known: {', '.join(SYMBOLS)}"
            )
        now = self._clock.tick()
        return [self._quote(self._symbol(name), now) for name in symbol_names]

    async def create_topic(
        self, route: str, topic: str, request: BaseModel, publish: Publish
    ) -> None:
        """Start publishing `topic` of `route`; refused (NotFoundError) for an unknown symbol."""
        if isinstance(request, BarsSubscriptionRequest) and route == BARS_ROUTE:
            producer = self._bars_producer(request)
        elif isinstance(request, QuotesSubscriptionRequest) and route == QUOTES_ROUTE:
            producer = self._quotes_producer(request)
        else:
            raise ValueError(
                f"the datafeed serves no WebSocket route {route!r} for {type(request).__name__}"
            )
        self.ws_topics.open(route, topic, request, publish, producer, self.update_interval)

    async def remove_topic(self, route: str, topic: str) -> None:
        """Stop publishing `topic`."""
        await self.ws_topics.close(topic)

    def _bars_producer(self, request: BarsSubscriptionRequest) -> Producer:
        symbol = self._symbol(request.symbol)
        length, offset = _bar_grid(request.resolution)
        first = offset + (self._clock.now() - offset) // length * length  # the bar open now
        return lambda tick: [self._bar(symbol, first + tick * length, length)]

    def _quotes_producer(self, request: QuotesSubscriptionRequest) -> Producer:
        unknown = [name for name in request.symbols if find_symbol(name) is None]
        if unknown:
            raise NotFoundError(f"unknown symbols: {', '.join(map(repr, unknown))}")
        symbols = [self._symbol(name) for name in request.symbols]
        start = self._clock.now()
        return lambda tick: [self._quote(symbol, start + tick) for symbol in symbols]

    def _symbol(self, name: str) -> SimulatedSymbol:
        symbol = find_symbol(name)
        if symbol is None:
            raise NotFoundError(
                f"unknown symbol {name!r}; search with GET /symbols/search (known: "
                f"{', '.join(SYMBOLS)})"
            )
        return symbol

    def _bar(self, symbol: SimulatedSymbol, time: int, length: int) -> BarPublic:
        bar = bar_at(symbol, time, length)
        return BarPublic(
            time=bar.time,
            open=bar.open,
            high=bar.high,
            low=bar.low,
            close=bar.close,
            volume=bar.volume,
        )

    def _quote(self, symbol: SimulatedSymbol, now: int) -> QuotePublic:
        last = price_at(symbol, now)
        previous = price_at(symbol, now - 86_400)
        bid = round_to_tick(symbol, last - spread(symbol) / 2)
        change = last - previous
        return QuotePublic(
            symbol=symbol.ticker,
            bid=bid,
            ask=round_to_tick(symbol, bid + spread(symbol)),
            last=last,
            change=round_to_tick(symbol, change) if change > 0 else -round_to_tick(symbol, -change),
            change_percent=round(change / previous * 100, 4),
            volume=bar_at(symbol, now - now % 86_400, 86_400).volume,
            time=datetime.fromtimestamp(now, UTC),
        )
