from django import template

register = template.Library()


@register.filter
def grouped(number):
    """1234567 → "1,234,567" in every language (the progress script writes numbers the same way)."""
    if number is None or number == "":
        return ""
    return f"{int(number):,}"
