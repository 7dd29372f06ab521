"""The private calendar feeds, at /calendar/<token>.ics (no namespace: the address and
the URL name `calendar_feed` are what subscribers and templates already use)."""

from django.urls import path

from sessions_app import views

urlpatterns = [
    path("<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
