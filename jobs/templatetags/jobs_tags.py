from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def grouped(number):
    """1234567 → "1,234,567" in every language (the progress script writes numbers the same way)."""
    if number is None or number == "":
        return ""
    return f"{int(number):,}"


@register.filter
def local_time(moment):
    """A moment as the job pages show it: in the user's time zone, to the second, saying which zone."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S} ({timezone.get_current_timezone_name()})"
