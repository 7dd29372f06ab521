from django.urls import path

from peers.figures import views

app_name = "figures"

urlpatterns = [
    path("office/", views.office_page, name="office"),
    path("office/<slug:slug>.csv", views.office_csv, name="office_csv"),
    path("<int:program_id>/", views.program_page, name="program"),
    path("<int:program_id>/<slug:slug>.csv", views.program_csv, name="program_csv"),
]
