"""A slow phone line between Chromium and the server: a TCP proxy that adds latency and shares a bandwidth limit.

Chromium's own network emulation (DevTools ``Network.emulateNetworkConditions``)
throttles only the page it is attached to: a service worker's fetches bypass it
and go unseen, so a page served through the worker would look free and instant.
This proxy sits on the wire instead, so everything the phone sends or receives
(page, service worker, manifest, fonts) is slowed and counted.

The model, per direction: one link shared by all connections (a phone has one
radio), ``bytes_per_second`` wide, every chunk arriving ``round_trip_ms / 2``
after it left the link; a new connection pays one more round trip before its
first bytes (the TCP handshake). TLS, packet loss and TCP slow start are not
modelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass, field

CHUNK = 16 * 1024


@dataclass
class _Direction:
    bytes_per_second: float
    one_way_s: float
    free_at: float = 0.0
    carried: int = 0

    def schedule(self, size: int, now: float) -> float:
        """When a chunk of ``size`` bytes read at ``now`` reaches the other side."""
        start = max(now, self.free_at)
        self.free_at = start + size / self.bytes_per_second
        self.carried += size
        return self.free_at + self.one_way_s


@dataclass
class SlowLink:
    """``with SlowLink(target_port, ...) as link:`` then point the browser at ``link.port``."""

    target_port: int
    down_bytes_per_second: float
    up_bytes_per_second: float
    round_trip_ms: float
    port: int = 0
    _down: _Direction = field(init=False)
    _up: _Direction = field(init=False)

    def __post_init__(self) -> None:
        one_way = self.round_trip_ms / 2000
        self._down = _Direction(self.down_bytes_per_second, one_way)
        self._up = _Direction(self.up_bytes_per_second, one_way)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    # -- what the benchmark reads -------------------------------------------------------------------------------
    def counters(self) -> tuple[int, int]:
        """Bytes carried so far (down to the phone, up to the server)."""
        return self._down.carried, self._up.carried

    # -- the proxy ------------------------------------------------------------------------------------------------
    async def _pump(self, reader, writer, direction: _Direction, first_delay: float) -> None:
        queue: asyncio.Queue = asyncio.Queue()

        async def deliver() -> None:
            while True:
                item = await queue.get()
                if item is None:
                    break
                due, data = item
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            writer.close()

        delivering = asyncio.ensure_future(deliver())
        extra = first_delay
        try:
            while data := await reader.read(CHUNK):
                queue.put_nowait((direction.schedule(len(data), time.monotonic()) + extra, data))
                extra = 0.0
        except (ConnectionError, OSError):
            pass
        queue.put_nowait(None)
        with contextlib.suppress(ConnectionError, OSError):
            await delivering

    async def _connection(self, phone_reader, phone_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            phone_writer.close()
            return
        handshake = self.round_trip_ms / 1000
        try:
            await asyncio.gather(
                self._pump(phone_reader, server_writer, self._up, handshake),
                self._pump(server_reader, phone_writer, self._down, 0.0),
            )
        except asyncio.CancelledError:
            pass  # the link shut down mid-transfer (asyncio's server callback would print the cancellation)
        finally:  # no socket left open
            server_writer.close()
            phone_writer.close()

    async def _serve(self) -> None:
        self._stopped = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stopped.wait()
        current = asyncio.current_task()
        pending = [task for task in asyncio.all_tasks() if task is not current]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def __enter__(self) -> SlowLink:
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(self._serve(),), daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc) -> None:
        self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(10)
        self._loop.close()
