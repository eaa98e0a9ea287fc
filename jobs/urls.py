from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/status/", views.job_status_json, name="status"),
    path("<uuid:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
]
