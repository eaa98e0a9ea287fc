from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("events/<int:pk>/trip-report.docx", views.trip_report, name="trip-report"),
    path("events/<int:pk>/calendar.ics", views.calendar, name="calendar"),
    path("workshops/<int:pk>/letters/", views.letters, name="letters"),
    path("letter-templates/default.docx", views.default_letter_template, name="default-letter-template"),
    path("letter-templates/<int:pk>.docx", views.letter_template_file, name="letter-template-file"),
]
