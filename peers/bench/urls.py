from django.urls import path

from peers.bench.views import bare
from peers.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]
