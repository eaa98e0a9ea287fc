from django.urls import path

from outreach import views

urlpatterns = [
    path("overview/", views.overview, name="overview"),
    path("reconfirm/", views.reconfirm, name="reconfirm"),
    path("reconfirm/<int:person_id>/confirm/", views.confirm, name="reconfirm-confirm"),
]
