from django.urls import path

from accounts import views

urlpatterns = [
    path("two-step/", views.two_step_page, name="two-step"),
    path("two-step/verify/", views.verify_page, name="two-step-verify"),
    path("two-step/backup-codes/", views.backup_codes_page, name="two-step-backup-codes"),
    path("confirm-password/", views.confirm_password_page, name="confirm-password"),
]
