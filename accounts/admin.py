from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# django-otp's own device pages would show a user's secret key to whoever may read them. Devices
# are set up by their owner (accounts/views.py) and reset by an administrator through the users
# list's logged action (partners/admin.py, StaffUserAdmin) — nowhere else.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
