"""A small load generator: `connections` clients in one asyncio loop, each sending GETs
one after another for `seconds`, recording every latency.

Each request opens its own connection and asks the server to close it: gunicorn's sync
workers close every connection anyway (they do not keep connections alive), so this is
what any client, wrk included, gets from them. The generator runs on the same machine
and shares its CPU with the server, so absolute figures are low; the ratio of a page to
the bare page measured in the same run is what to compare.
"""

import asyncio
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    requests: int
    errors: int
    seconds: float
    latencies: tuple[float, ...]

    @property
    def per_second(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]

    @property
    def p50(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")


def request_bytes(host: str, port: int, path: str, cookie: str = "") -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close", "User-Agent: peers-bench"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _fetch(host: str, port: int, payload: bytes) -> int:
    """One request; the response's status code."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(payload)
        status_line = await reader.readline()
        while await reader.read(65536):
            pass
    finally:
        writer.close()
    return int(status_line.split()[1]) if status_line.startswith(b"HTTP/") else 0


async def _client(host, port, payload, deadline, latencies, failures) -> None:
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status = await _fetch(host, port, payload)
        except OSError:
            status = 0
        latencies.append(time.monotonic() - started)
        if status != 200:
            failures.append(status)


async def _run(host, port, payload, seconds, connections) -> Result:
    latencies: list[float] = []
    failures: list[int] = []
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_client(host, port, payload, deadline, latencies, failures) for _ in range(connections)))
    return Result(len(latencies), len(failures), time.monotonic() - started, tuple(latencies))


def measure(*, host: str, port: int, path: str, cookie: str = "", seconds: float, connections: int) -> Result:
    """GET `path` from `connections` clients at once for `seconds`."""
    payload = request_bytes(host, port, path, cookie)
    return asyncio.run(_run(host, port, payload, seconds, connections))
