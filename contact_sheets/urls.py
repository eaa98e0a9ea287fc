from django.urls import path

from contact_sheets import views

urlpatterns = [
    path("contact-sheet/", views.contact_sheet, name="contact-sheet"),
    path("contact-sheet/export/", views.contact_sheet_export, name="contact-sheet-export"),
]
