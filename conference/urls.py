from django.urls import path

from conference import views

urlpatterns = [
    path("", views.candidate_finder, name="candidates"),
    path("assess/", views.assess, name="assess-candidates"),
    path("autocomplete/", views.candidate_autocomplete, name="candidates-autocomplete"),
]
