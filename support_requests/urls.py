from django.urls import path

from support_requests import views

app_name = "support"

urlpatterns = [
    path("", views.intake, name="intake"),
    path("status/<str:token>/", views.status, name="status"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/", views.detail, name="detail"),
    path("queue/<int:pk>/<str:action>/", views.act, name="act"),
    path("report/", views.report, name="report"),
    path("profile/", views.profile, name="profile"),
]
