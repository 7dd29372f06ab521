"""axe-core for the browser tests, from the npm registry, served to the page as a file.

The package is pinned by version and by the registry's sha512 integrity, downloaded once
into .data/ (the registry is the only network a test needs) and checked on every use.
The script is evaluated through the DevTools protocol, so the product's strict
Content-Security-Policy stays on while axe runs. `assert_page_ok` is what every journey
asserts on every page: no horizontal scrolling and no serious or critical violation.
"""

import base64
import hashlib
import io
import os
import tarfile
import urllib.request
from pathlib import Path

import pytest

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
INTEGRITY = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
CACHE = Path(__file__).resolve().parent.parent.parent / ".data" / f"axe-core-{VERSION}.tgz"
SERIOUS = ("serious", "critical")


def _verified(data: bytes) -> bytes:
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise RuntimeError(f"axe-core {VERSION}: integrity {digest} is not the pinned {INTEGRITY}")
    return data


def axe_source() -> str:
    """axe.min.js of the pinned release (downloaded on first use)."""
    if not CACHE.exists():
        try:
            with urllib.request.urlopen(TARBALL, timeout=60) as response:
                data = _verified(response.read())
        except OSError as exc:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"axe-core could not be downloaded from the npm registry ({exc}); accessibility checks need it")
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_bytes(data)
    with tarfile.open(fileobj=io.BytesIO(_verified(CACHE.read_bytes())), mode="r:gz") as archive:
        return archive.extractfile("package/axe.min.js").read().decode()


def serious_violations(page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations if v["impact"] in SERIOUS]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def assert_page_ok(page) -> None:
    where = f"{page.url} at {page.viewport_size['width']} px"
    assert horizontal_overflow(page) == 0, f"{where} scrolls sideways by {horizontal_overflow(page)} px"
    problems = serious_violations(page)
    assert not problems, f"axe on {where}:\n  " + "\n  ".join(problems)
