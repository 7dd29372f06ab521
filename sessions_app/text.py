import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe


def markdown_safe(text: str) -> SafeString:
    """Markdown rendered to HTML, then cleaned of anything but plain formatting and links."""
    return mark_safe(nh3.clean(markdown.markdown(text or "", extensions=["sane_lists"])))  # noqa: S308 (cleaned)
