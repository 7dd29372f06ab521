"""The figures pages' shared machinery: periods (academic terms and years), one figure
(a table and the chart drawn from it), the SVG chart, CSV export. Each app registers
what it shows (`peers.registry.register_figures`); the core imports no app."""

from peers.figures.figure import Figure, Section
from peers.figures.periods import Period

__all__ = ["Figure", "Period", "Section"]
