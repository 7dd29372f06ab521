from django.urls import path

from sessions_app import views, views_rounds

app_name = "sessions"

urlpatterns = [
    path("", views_rounds.round_list, name="list"),
    path("round/<int:pk>/", views_rounds.round_detail, name="round"),
    path("round/<int:pk>/book/", views_rounds.round_book, name="round_book"),
    path("round/<int:pk>/waitlist/", views_rounds.round_waitlist_join, name="round_waitlist_join"),
    path("<int:pk>/switch/", views_rounds.switch, name="switch"),
    path("mine/", views.mine, name="mine"),
    path("mine/calendar-reset/", views.calendar_reset, name="calendar_reset"),
    path("facilitate/", views.facilitate, name="facilitate"),
    path("roster/<int:program_id>/", views.roster, name="roster"),
    path("feedback/<int:booking_id>/", views.feedback, name="feedback"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/calendar.ics", views.session_calendar, name="session_calendar"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/waitlist/", views.waitlist_join, name="waitlist_join"),
    path("<int:pk>/waitlist/leave/", views.waitlist_leave, name="waitlist_leave"),
    path("<int:pk>/offer/accept/", views.offer_accept, name="offer_accept"),
    path("<int:pk>/facilitate/", views.facilitate_take, name="facilitate_take"),
    path("<int:pk>/facilitate/withdraw/", views.facilitate_withdraw, name="facilitate_withdraw"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/coordinate/", views.coordinate, name="coordinate"),
    path("<int:pk>/coordinate/remove/<int:booking_id>/", views.coordinate_remove, name="coordinate_remove"),
    path("<int:pk>/coordinate/move/<int:booking_id>/", views.coordinate_move, name="coordinate_move"),
    path("<int:pk>/coordinate/promote/<int:entry_id>/", views.coordinate_promote, name="coordinate_promote"),
    path("<int:pk>/coordinate/message/", views.coordinate_message, name="coordinate_message"),
]
