"""Simulated broker: orders, fills, positions, account and leverage, all in memory.

Market orders fill at once at the simulated last price (one execution each); limit, stop and
stop-limit orders stay `working` until modified or cancelled, since the simulation has no matching
engine. The simulated clock moves one second per state change, so ids and times are reproducible.

WebSocket topics: every state change is published to the open topics it concerns (orders,
executions, positions, equity); positions, equity and the broker connection are also published
every `update_interval` seconds, valued at the current simulated time.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from pydantic import BaseModel

from trading_api.models.account import (
    AccountPublic,
    LeverageInfo,
    LeveragePreview,
    LeverageUpdate,
)
from trading_api.models.broker_connection import BrokerConnectionPublic, BrokerConnectionStatus
from trading_api.models.executions import ExecutionPublic
from trading_api.models.market_data import SymbolType
from trading_api.models.orders import (
    MIN_QUANTITY,
    OrderCreate,
    OrderPreview,
    OrderPublic,
    OrderStatus,
    OrderType,
    OrderUpdate,
    Side,
    price_field_problem,
)
from trading_api.models.positions import PositionBrackets, PositionPublic, PositionSide
from trading_api.shared.market_simulation import (
    SYMBOLS,
    SimulatedClock,
    SimulatedSymbol,
    find_symbol,
    price_at,
)
from trading_api.shared.service_errors import ConflictError, InvalidInputError, NotFoundError
from trading_api.shared.ws import ActiveTopics, Producer, Publish

ACCOUNT_ID: Final = "SIM-000001"
INITIAL_BALANCE: Final = 100_000.0
COMMISSION_RATE: Final = 0.0005
MIN_COMMISSION: Final = 1.0
MAX_LEVERAGE: Final = {SymbolType.STOCK: 4.0, SymbolType.FOREX: 50.0, SymbolType.CRYPTO: 10.0}
LEVERAGE_STEP: Final = 1.0
# Quantities are floats; anything smaller than the smallest order is a rounding leftover (flat).
_QTY_EPSILON: Final = MIN_QUANTITY

# WebSocket routes the broker serves (declared in ws/v1.py)
ORDERS_ROUTE: Final = "orders"
POSITIONS_ROUTE: Final = "positions"
EXECUTIONS_ROUTE: Final = "executions"
EQUITY_ROUTE: Final = "equity"
BROKER_CONNECTION_ROUTE: Final = "broker-connection"


@dataclass
class _Position:
    symbol: SimulatedSymbol
    qty: float  # signed: > 0 long, < 0 short
    avg_price: float
    realized_pnl: float = 0.0
    brackets: PositionBrackets = field(default_factory=PositionBrackets)


def _money(value: float) -> float:
    return round(value, 2)


def _known_symbols() -> str:
    return ", ".join(SYMBOLS)


def _wants(request: BaseModel, symbol: str) -> bool:
    """Whether a subscription request with an optional `symbol` filter covers `symbol`."""
    wanted = getattr(request, "symbol", None)
    return wanted is None or wanted == symbol


class BrokerService:
    """In-memory broker for one simulated account. Thread-safe: every public method holds a lock."""

    def __init__(self, clock: SimulatedClock | None = None, update_interval: float = 1.0) -> None:
        self._clock = clock if clock is not None else SimulatedClock()
        self.update_interval = update_interval  # seconds between periodic topic updates
        self.ws_topics = ActiveTopics()
        self._lock = threading.RLock()
        self._orders: dict[str, OrderPublic] = {}
        self._executions: list[ExecutionPublic] = []
        self._positions: dict[str, _Position] = {}
        self._leverage: dict[str, float] = {}
        self._realized_pnl = 0.0
        self._commissions = 0.0
        self._order_ids = itertools.count(1)
        self._execution_ids = itertools.count(1)

    # ---- orders -------------------------------------------------------------------------------

    def preview_order(self, order: OrderCreate) -> OrderPreview:
        """Estimate price, cost and margin of `order` without placing it."""
        with self._lock:
            symbol = self._body_symbol(order.symbol)
            price = self._estimated_price(symbol, order)
            notional = order.qty * price
            commission = self._commission(notional)
            margin = 0.0 if self._reduces_position(symbol, order) else notional / self._lev(symbol)
            available_after = self._available_funds() - margin - commission
            warnings = []
            if available_after < 0:
                warnings.append(
                    f"insufficient funds: needs {_money(margin + commission)} {symbol.currency}, "
                    f"available {_money(self._available_funds())}; the order would be rejected"
                )
            if order.type is not OrderType.MARKET:
                warnings.append(
                    f"{order.type.value} orders stay working until cancelled (simulated broker)"
                )
            return OrderPreview(
                symbol=symbol.ticker,
                side=order.side,
                type=order.type,
                qty=order.qty,
                estimated_price=price,
                notional=_money(notional),
                commission=commission,
                margin_required=_money(margin),
                available_funds_after=_money(available_after),
                warnings=warnings,
            )

    def place_order(self, order: OrderCreate) -> OrderPublic:
        """Place `order`: market orders fill now, others stay working; rejected if funds lack."""
        with self._lock:
            preview = self.preview_order(order)
            symbol = self._body_symbol(order.symbol)
            now = self._clock.tick()
            placed = OrderPublic(
                id=f"ORD-{next(self._order_ids):06d}",
                symbol=symbol.ticker,
                side=order.side,
                type=order.type,
                qty=order.qty,
                limit_price=order.limit_price,
                stop_price=order.stop_price,
                time_in_force=order.time_in_force,
                status=OrderStatus.WORKING,
                created_at=self._clock.now_datetime(),
                updated_at=self._clock.now_datetime(),
            )
            if preview.available_funds_after < 0:
                placed = placed.model_copy(
                    update={"status": OrderStatus.REJECTED, "reject_reason": preview.warnings[0]}
                )
            elif order.type is OrderType.MARKET:
                placed = self._fill(placed, symbol, price_at(symbol, now))
            self._orders[placed.id] = placed
            self._announce_order(placed, filled=placed.status is OrderStatus.FILLED)
            return placed

    def modify_order(self, order_id: str, update: OrderUpdate) -> OrderPublic:
        """Change qty or prices of a working order (404 unknown id, 409 not working)."""
        with self._lock:
            order = self._working_order(order_id, "modified")
            limit_price = (
                update.limit_price if update.limit_price is not None else order.limit_price
            )
            stop_price = update.stop_price if update.stop_price is not None else order.stop_price
            for field, value in (("limit_price", limit_price), ("stop_price", stop_price)):
                problem = price_field_problem(order.type, field, value)
                if problem is not None:
                    raise InvalidInputError(
                        ("body", field), f"order {order_id}: {problem}", getattr(update, field)
                    )
            self._clock.tick()
            modified = order.model_copy(
                update={
                    "qty": update.qty if update.qty is not None else order.qty,
                    "limit_price": limit_price,
                    "stop_price": stop_price,
                    "updated_at": self._clock.now_datetime(),
                }
            )
            self._orders[order_id] = modified
            self._announce_order(modified, filled=False)
            return modified

    def cancel_order(self, order_id: str) -> OrderPublic:
        """Cancel a working order (404 unknown id, 409 not working)."""
        with self._lock:
            order = self._working_order(order_id, "cancelled")
            self._clock.tick()
            cancelled = order.model_copy(
                update={"status": OrderStatus.CANCELLED, "updated_at": self._clock.now_datetime()}
            )
            self._orders[order_id] = cancelled
            self._announce_order(cancelled, filled=False)
            return cancelled

    def list_orders(
        self, status: OrderStatus | None = None, symbol: str | None = None
    ) -> list[OrderPublic]:
        """Orders in placement order, optionally only those with `status` and/or `symbol`."""
        with self._lock:
            ticker = symbol.strip().upper() if symbol is not None else None
            return [
                order
                for order in self._orders.values()
                if (status is None or order.status is status)
                and (ticker is None or order.symbol == ticker)
            ]

    def get_order(self, order_id: str) -> OrderPublic:
        """The order with `order_id` (404 if unknown)."""
        with self._lock:
            order = self._orders.get(order_id)
            if order is None:
                raise NotFoundError(f"unknown order id {order_id!r}; list orders with GET /orders")
            return order

    # ---- positions and executions -------------------------------------------------------------

    def list_positions(self) -> list[PositionPublic]:
        """Open positions, by symbol."""
        with self._lock:
            return [self._position_public(p) for _, p in sorted(self._positions.items())]

    def close_position(self, symbol: str, qty: float | None = None) -> OrderPublic:
        """Close `qty` (default: all) of the position in `symbol` with a market order."""
        with self._lock:
            position = self._open_position(symbol)
            size = abs(position.qty)
            if qty is not None and qty > size + _QTY_EPSILON:
                raise InvalidInputError(
                    ("query", "qty"), f"qty {qty} exceeds the {size} open in {symbol}", qty
                )
            side = Side.SELL if position.qty > 0 else Side.BUY
            # Not validated: the broker's own order may close a position larger than the most a
            # client may order at once (MAX_QUANTITY).
            closing = OrderCreate.model_construct(
                symbol=position.symbol.ticker, side=side, qty=qty if qty is not None else size
            )
            return self.place_order(closing)

    def set_position_brackets(self, symbol: str, brackets: PositionBrackets) -> PositionPublic:
        """Set take-profit/stop-loss of the position in `symbol`; null clears a bracket."""
        with self._lock:
            position = self._open_position(symbol)
            market = price_at(position.symbol, self._clock.now())
            long = position.qty > 0
            profit_side, loss_side = ("above", "below") if long else ("below", "above")
            tp, sl = brackets.take_profit, brackets.stop_loss
            if tp is not None and (tp <= market if long else tp >= market):
                raise InvalidInputError(
                    ("body", "take_profit"),
                    f"take_profit of a {'long' if long else 'short'} position must be "
                    f"{profit_side} the market price {market}",
                    tp,
                )
            if sl is not None and (sl >= market if long else sl <= market):
                raise InvalidInputError(
                    ("body", "stop_loss"),
                    f"stop_loss of a {'long' if long else 'short'} position must be "
                    f"{loss_side} the market price {market}",
                    sl,
                )
            position.brackets = brackets.model_copy()
            self.ws_topics.emit(POSITIONS_ROUTE, self._position_updates)
            return self._position_public(position)

    def list_executions(self, symbol: str) -> list[ExecutionPublic]:
        """Executions in `symbol`, oldest first (404 if the symbol is unknown)."""
        with self._lock:
            ticker = self._path_symbol(symbol).ticker
            return [e for e in self._executions if e.symbol == ticker]

    # ---- account and leverage -----------------------------------------------------------------

    def get_account(self) -> AccountPublic:
        """Balances of the account, valued at the current simulated prices."""
        with self._lock:
            unrealized = self._unrealized_pnl()
            balance = INITIAL_BALANCE + self._realized_pnl - self._commissions
            return AccountPublic(
                id=ACCOUNT_ID,
                currency="USD",
                balance=_money(balance),
                equity=_money(balance + unrealized),
                unrealized_pnl=_money(unrealized),
                realized_pnl=_money(self._realized_pnl),
                margin_used=_money(self._margin_used()),
                available_funds=_money(self._available_funds()),
                updated_at=self._clock.now_datetime(),
            )

    def get_leverage(self, symbol: str) -> LeverageInfo:
        """Leverage of `symbol` and its allowed range (404 if unknown)."""
        with self._lock:
            return self._leverage_info(self._path_symbol(symbol))

    def preview_leverage(self, symbol: str, update: LeverageUpdate) -> LeveragePreview:
        """Margin effect of setting `symbol`'s leverage, without setting it."""
        with self._lock:
            sim = self._path_symbol(symbol)
            self._check_leverage(sim, update.leverage)
            current = self._lev(sim)
            margin_now = self._margin_used()
            margin_after = margin_now - self._position_margin(sim, current)
            margin_after += self._position_margin(sim, update.leverage)
            available_after = self._equity() - margin_after
            warnings = []
            if available_after < 0:
                warnings.append(
                    f"margin {_money(margin_after)} would exceed equity {_money(self._equity())}; "
                    f"setting this leverage would be refused"
                )
            return LeveragePreview(
                symbol=sim.ticker,
                current_leverage=current,
                new_leverage=update.leverage,
                margin_used_now=_money(margin_now),
                margin_used_after=_money(margin_after),
                available_funds_after=_money(available_after),
                warnings=warnings,
            )

    def set_leverage(self, symbol: str, update: LeverageUpdate) -> LeverageInfo:
        """Set `symbol`'s leverage (422 outside its range, 409 if margin would exceed equity)."""
        with self._lock:
            preview = self.preview_leverage(symbol, update)
            if preview.available_funds_after < 0:
                raise ConflictError(
                    f"cannot set leverage of {preview.symbol}: {preview.warnings[0]}"
                )
            sim = self._path_symbol(symbol)
            self._leverage[sim.ticker] = update.leverage
            self.ws_topics.emit(EQUITY_ROUTE, self._equity_updates)
            return self._leverage_info(sim)

    # ---- WebSocket topics ---------------------------------------------------------------------

    async def create_topic(
        self, route: str, topic: str, request: BaseModel, publish: Publish
    ) -> None:
        """Start publishing `topic` of `route`; 404-style refusal for an unknown symbol filter."""
        with self._lock:
            producer = self._topic_producer(route, request)
        self.ws_topics.open(route, topic, request, publish, producer, self.update_interval)

    async def remove_topic(self, route: str, topic: str) -> None:
        """Stop publishing `topic`."""
        await self.ws_topics.close(topic)

    def connection_status(self) -> BrokerConnectionPublic:
        """The simulated broker is in-process: always connected."""
        with self._lock:
            return BrokerConnectionPublic(
                account_id=ACCOUNT_ID,
                status=BrokerConnectionStatus.CONNECTED,
                message="connected to the simulated broker",
                checked_at=self._clock.now_datetime(),
            )

    # ---- internals ----------------------------------------------------------------------------

    def _topic_producer(self, route: str, request: BaseModel) -> Producer | None:
        """What a topic of `route` publishes periodically (None: only on state changes)."""
        symbol = getattr(request, "symbol", None)
        if symbol is not None:
            self._path_symbol(symbol)  # refuse a filter on an unknown symbol
        periodic: dict[str, Callable[[], list[BaseModel]]] = {
            POSITIONS_ROUTE: lambda: self._position_updates(request),
            EQUITY_ROUTE: lambda: self._equity_updates(request),
            BROKER_CONNECTION_ROUTE: lambda: [self.connection_status()],
        }
        if route in (ORDERS_ROUTE, EXECUTIONS_ROUTE):
            return None
        if route not in periodic:
            raise ValueError(f"the broker serves no WebSocket route {route!r}")
        produce = periodic[route]
        return lambda _tick: produce()

    def _announce_order(self, order: OrderPublic, filled: bool) -> None:
        """Publish an order change and, for a fill, its execution, positions and equity."""
        topics = self.ws_topics
        topics.emit(ORDERS_ROUTE, lambda request: [order] if _wants(request, order.symbol) else [])
        if not filled:
            return
        execution = self._executions[-1]
        topics.emit(
            EXECUTIONS_ROUTE,
            lambda request: [execution] if _wants(request, execution.symbol) else [],
        )
        topics.emit(POSITIONS_ROUTE, self._position_updates)
        topics.emit(EQUITY_ROUTE, self._equity_updates)

    def _position_updates(self, request: BaseModel) -> list[BaseModel]:
        with self._lock:
            return [
                self._position_public(position)
                for ticker, position in sorted(self._positions.items())
                if _wants(request, ticker)
            ]

    def _equity_updates(self, request: BaseModel) -> list[BaseModel]:
        return [self.get_account()]

    def _body_symbol(self, name: str) -> SimulatedSymbol:
        symbol = find_symbol(name)
        if symbol is None:
            raise InvalidInputError(
                ("body", "symbol"), f"unknown symbol {name!r}; known: {_known_symbols()}", name
            )
        return symbol

    def _path_symbol(self, name: str) -> SimulatedSymbol:
        symbol = find_symbol(name)
        if symbol is None:
            raise NotFoundError(f"unknown symbol {name!r}; known: {_known_symbols()}")
        return symbol

    def _open_position(self, name: str) -> _Position:
        position = self._positions.get(self._path_symbol(name).ticker)
        if position is None:
            raise NotFoundError(f"no open position in {name!r}; list them with GET /positions")
        return position

    def _working_order(self, order_id: str, action: str) -> OrderPublic:
        order = self.get_order(order_id)
        if order.status is not OrderStatus.WORKING:
            raise ConflictError(
                f"order {order_id} is {order.status.value}; only working orders can be {action}"
            )
        return order

    def _estimated_price(self, symbol: SimulatedSymbol, order: OrderCreate) -> float:
        if order.limit_price is not None:
            return order.limit_price
        if order.stop_price is not None:
            return order.stop_price
        return price_at(symbol, self._clock.now())

    def _reduces_position(self, symbol: SimulatedSymbol, order: OrderCreate) -> bool:
        position = self._positions.get(symbol.ticker)
        if position is None:
            return False
        opposite = (position.qty > 0) == (order.side is Side.SELL)
        return opposite and order.qty <= abs(position.qty) + _QTY_EPSILON

    def _fill(self, order: OrderPublic, symbol: SimulatedSymbol, price: float) -> OrderPublic:
        commission = self._commission(order.qty * price)
        self._commissions += commission
        self._executions.append(
            ExecutionPublic(
                id=f"EXE-{next(self._execution_ids):06d}",
                order_id=order.id,
                symbol=symbol.ticker,
                side=order.side,
                qty=order.qty,
                price=price,
                commission=commission,
                time=self._clock.now_datetime(),
            )
        )
        self._apply_fill(symbol, order.side, order.qty, price)
        return order.model_copy(
            update={"status": OrderStatus.FILLED, "filled_qty": order.qty, "avg_fill_price": price}
        )

    def _apply_fill(self, symbol: SimulatedSymbol, side: Side, qty: float, price: float) -> None:
        signed = qty if side is Side.BUY else -qty
        position = self._positions.get(symbol.ticker)
        if position is None:
            self._positions[symbol.ticker] = _Position(symbol, signed, price)
            return
        if position.qty * signed > 0:
            total = position.qty + signed
            position.avg_price = (abs(position.qty) * position.avg_price + qty * price) / abs(total)
            position.qty = round(total, 9)
            return
        closed = min(abs(position.qty), qty)
        pnl = closed * (price - position.avg_price) * (1 if position.qty > 0 else -1)
        position.realized_pnl += pnl
        self._realized_pnl += pnl
        remaining = round(position.qty + signed, 9)
        if abs(remaining) < _QTY_EPSILON:
            del self._positions[symbol.ticker]
        elif remaining * position.qty < 0:  # flipped: the rest opens a new position at `price`
            position.qty, position.avg_price = remaining, price
            position.brackets = PositionBrackets()
        else:
            position.qty = remaining

    def _position_public(self, position: _Position) -> PositionPublic:
        market = price_at(position.symbol, self._clock.now())
        return PositionPublic(
            symbol=position.symbol.ticker,
            side=PositionSide.LONG if position.qty > 0 else PositionSide.SHORT,
            qty=abs(position.qty),
            avg_price=position.avg_price,
            market_price=market,
            unrealized_pnl=_money((market - position.avg_price) * position.qty),
            realized_pnl=_money(position.realized_pnl),
            brackets=position.brackets,
        )

    def _commission(self, notional: float) -> float:
        return _money(max(MIN_COMMISSION, notional * COMMISSION_RATE))

    def _lev(self, symbol: SimulatedSymbol) -> float:
        return self._leverage.get(symbol.ticker, 1.0)

    def _position_margin(self, symbol: SimulatedSymbol, leverage: float) -> float:
        position = self._positions.get(symbol.ticker)
        if position is None:
            return 0.0
        return abs(position.qty) * price_at(symbol, self._clock.now()) / leverage

    def _margin_used(self) -> float:
        return sum(
            self._position_margin(p.symbol, self._lev(p.symbol)) for p in self._positions.values()
        )

    def _unrealized_pnl(self) -> float:
        now = self._clock.now()
        return sum(
            (price_at(p.symbol, now) - p.avg_price) * p.qty for p in self._positions.values()
        )

    def _equity(self) -> float:
        return INITIAL_BALANCE + self._realized_pnl - self._commissions + self._unrealized_pnl()

    def _available_funds(self) -> float:
        return self._equity() - self._margin_used()

    def _leverage_info(self, symbol: SimulatedSymbol) -> LeverageInfo:
        return LeverageInfo(
            symbol=symbol.ticker,
            leverage=self._lev(symbol),
            min_leverage=1.0,
            max_leverage=MAX_LEVERAGE[symbol.type],
            step=LEVERAGE_STEP,
        )

    def _check_leverage(self, symbol: SimulatedSymbol, leverage: float) -> None:
        maximum = MAX_LEVERAGE[symbol.type]
        steps = leverage / LEVERAGE_STEP
        if leverage > maximum or abs(steps - round(steps)) > _QTY_EPSILON:
            raise InvalidInputError(
                ("body", "leverage"),
                f"leverage of {symbol.ticker} must be a multiple of {LEVERAGE_STEP} "
                f"between 1 and {maximum}",
                leverage,
            )
