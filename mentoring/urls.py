from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("log/", views.log_contact, name="log_contact"),
    path("contacts/<int:pk>/", views.thread, name="thread"),
    path("contacts/<int:pk>/answered/", views.answered, name="answered"),
    path("away/", views.away, name="away"),
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
]
