from django import template

from peers.figures.charts import bars

register = template.Library()


@register.inclusion_tag("figures/chart.svg")
def figure_chart(figure):
    return {"figure": figure, **bars(figure)}
