"""Horizontal bar charts drawn on the server as SVG.

No script and no inline style: sizes and positions are SVG attributes and the colours
come from peers/css/figures.css, so the charts pass the strict Content-Security-Policy
(style-src and script-src 'self') and print as vectors.
"""

from __future__ import annotations

from dataclasses import dataclass

from peers.figures.figure import Figure

ROW_HEIGHT = 22
LABEL_WIDTH = 150
BAR_WIDTH = 260
VALUE_WIDTH = 90
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    width: float
    text_x: float


def bars(figure: Figure) -> dict:
    values = figure.chart_values()
    top = max((number for _, number, _ in values if number is not None), default=0)
    if figure.unit == "%":
        top = max(top, 100)
    drawn = []
    for n, (label, number, text) in enumerate(values):
        width = round(BAR_WIDTH * number / top, 1) if number and top else 0
        drawn.append(Bar(label=label, text=text, y=n * ROW_HEIGHT, width=width, text_x=LABEL_WIDTH + width + 4))
    return {
        "bars": drawn,
        "height": max(len(drawn), 1) * ROW_HEIGHT,
        "width": WIDTH,
        "label_x": LABEL_WIDTH - 6,
        "bar_x": LABEL_WIDTH,
        "bar_height": ROW_HEIGHT - 6,
    }
