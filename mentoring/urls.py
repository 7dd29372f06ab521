from django.urls import path

from mentoring import views, views_repairing, views_voice

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("log/", views.log_contact, name="log_contact"),
    path("contacts/<int:pk>/", views.thread, name="thread"),
    path("contacts/<int:pk>/answered/", views.answered, name="answered"),
    path("away/", views.away, name="away"),
    path("away/<int:pk>/end/", views.away_end, name="away_end"),
    path("apply/", views.apply, name="apply"),
    path("apply/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("apply/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("apply/<int:pk>/interview/", views.interview_move, name="interview_move"),
    path("meeting/", views.meeting, name="meeting"),
    path("figures/", views.figures, name="figures"),
    path("interviews/", views.interviews, name="interviews"),
    path("referral/", views.referral, name="referral"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("outreach/", views.outreach, name="outreach"),
    path("disclosure/", views.disclosure_accept, name="disclosure_accept"),
    path("change/", views_repairing.change_request, name="change_request"),
    path("repairing/<int:pk>/", views_repairing.repairing, name="repairing"),
    path("repairing/<int:pk>/move/", views_repairing.move, name="repairing_move"),
    path("repairing/<int:pk>/replace/", views_repairing.replace, name="repairing_replace"),
    path("repairing/<int:pk>/dissolve/", views_repairing.dissolve, name="repairing_dissolve"),
    path("change-requests/<int:pk>/resolve/", views_repairing.resolve, name="change_request_resolve"),
    path("preferences/", views_voice.preferences, name="preferences"),
    path("feedback/", views_voice.pair_feedback, name="pair_feedback"),
    path("feedback/results/", views_voice.pair_feedback_results, name="pair_feedback_results"),
]
