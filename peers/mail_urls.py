from django.urls import path

from peers import mail_views

urlpatterns = [
    path("", mail_views.dev_mail_list, name="dev_mail_list"),
    path("<str:message_id>/", mail_views.dev_mail_detail, name="dev_mail_detail"),
    path("<str:message_id>/html/", mail_views.dev_mail_html, name="dev_mail_html"),
]
