"""A mistyped address shows the product's 404 page even while DJANGO_DEBUG is on.

With debug on, Django answers a 404 with its technical page, which lists every URL
pattern of the site. This middleware (last in MIDDLEWARE) answers instead with the
site's own handler404, as production does: for an address that matches no pattern
(checked before the view runs) and for an Http404 raised by a view. With debug off it
does nothing; Django already calls handler404. CommonMiddleware still redirects a
path missing its trailing slash, because it looks at the 404 this returns.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver, get_urlconf, resolve


class DebugNotFoundMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG:
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                return _product_404(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return _product_404(request, exception)
        return None


def _product_404(request: HttpRequest, exception: Exception) -> HttpResponse:
    handler = get_resolver(get_urlconf()).resolve_error_handler(404)
    return handler(request, exception)
