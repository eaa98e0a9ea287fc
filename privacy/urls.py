from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("reason/<int:person_id>/", views.access_reason_view, name="access-reason"),
    path("erase/<int:person_id>/", views.erase_person_view, name="erase-person"),
]
