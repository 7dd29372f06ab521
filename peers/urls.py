from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from peers import views

admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox_open"),
    path("inbox/read-all/", views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("healthz", views.healthz, name="healthz"),
    path("sessions/", include("sessions_app.urls")),
    path("support/", include("support_requests.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("calendar/", include("sessions_app.urls_calendar")),
    path("figures/", include("peers.figures.urls")),
    path("accounts/login/code/confirm/", views.confirm_login_code, name="account_confirm_login_code"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("dev/mail/", include("peers.mail_urls")),  # demo and development only: see peers/mail_views.py
]

handler400 = "peers.views.error_400"
handler403 = "peers.views.error_403"
handler404 = "peers.views.error_404"
handler429 = "peers.views.error_429"
handler500 = "peers.views.error_500"
