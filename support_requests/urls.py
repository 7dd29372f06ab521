from django.urls import path

from support_requests import views, views_clock, views_outreach, views_requester

app_name = "support"

urlpatterns = [
    path("", views.intake, name="intake"),
    path("status/<str:token>/", views_requester.status, name="status"),
    path("recover/", views_requester.recover, name="recover"),
    path("mine/", views_requester.mine, name="mine"),
    path("mine/<int:pk>/", views_requester.mine_detail, name="mine_detail"),
    path("status-link/", views.send_link, name="send_link"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/", views.detail, name="detail"),
    path("queue/<int:pk>/accept/", views.accept, name="accept"),
    path("queue/<int:pk>/decline/", views.decline, name="decline"),
    path("queue/<int:pk>/contacted/", views.contacted, name="contacted"),
    path("queue/<int:pk>/note/", views.note, name="note"),
    path("queue/<int:pk>/referral/", views.referral, name="referral"),
    path("queue/<int:pk>/close/", views.close, name="close"),
    path("queue/<int:pk>/assign/", views.assign, name="assign"),
    path("queue/<int:pk>/outreach/send/", views_outreach.send_message, name="outreach_send"),
    path("queue/<int:pk>/outreach/outcome/", views_outreach.record_outcome, name="outreach_outcome"),
    path("refer/", views_outreach.refer, name="refer"),
    path("outreach/new/", views_outreach.open_many, name="outreach_new"),
    path("no-thanks/<str:token>/", views_outreach.no_thanks, name="no_thanks"),
    path("queue/<int:pk>/pause/", views_clock.pause, name="pause"),
    path("queue/<int:pk>/resume/", views_clock.resume, name="resume"),
    path("report/", views.report, name="report"),
    path("profile/", views.profile, name="profile"),
]
