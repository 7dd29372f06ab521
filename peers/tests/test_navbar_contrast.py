"""The navbar's colours, read from static/peers/css/peers.css, pass WCAG AA (4.5:1 for text)."""

import re

from django.conf import settings

CSS = settings.BASE_DIR / "static" / "peers" / "css" / "peers.css"
TEXT_COLOURS = [
    "--bs-navbar-color",
    "--bs-navbar-hover-color",
    "--bs-navbar-active-color",
    "--bs-navbar-disabled-color",
    "--bs-navbar-brand-color",
    "--bs-navbar-brand-hover-color",
]


def _navbar_rule() -> dict[str, str]:
    body = re.search(r"\.navbar\.peers-navbar\s*\{([^}]*)\}", CSS.read_text()).group(1)
    return {name.strip(): value.strip() for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+);", body)}


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an opaque #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    light, dark = sorted([_luminance(foreground), _luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_formula_matches_known_ratios():
    assert round(contrast_ratio("#ffffff", "#000000"), 2) == 21.0
    assert round(contrast_ratio("#92befe", "#0d6efd"), 2) == 2.36  # the failure axe reported


def test_every_navbar_text_colour_reads_at_least_4_5_to_1_on_its_background():
    rule = _navbar_rule()
    background = rule["background-color"]
    for name in TEXT_COLOURS:
        colour = rule[name]
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), f"{name} must be an opaque #rrggbb colour, not {colour}"
        assert contrast_ratio(colour, background) >= 4.5, (name, colour, background)


def test_the_page_layout_uses_the_navbar_colours_and_not_bootstraps_primary():
    base = (settings.BASE_DIR / "templates" / "base.html").read_text()
    nav = re.search(r"<nav [^>]*>", base).group(0)
    assert "peers-navbar" in nav and "bg-primary" not in nav
