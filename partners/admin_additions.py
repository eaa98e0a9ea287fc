"""What apps above partners add to an admin class: inlines, list filters, actions, pages, permissions.

partners imports no other project app, yet its person admin shows where a person spoke
(conference), exports contact sheets (contact_sheets), imports them (importing) and merges
duplicates (duplicates). Each of those apps adds its part from its own ``admin.py`` with
``SomeAdmin.add(...)``; the admin class only declares that it takes additions::

    PersonAdmin.add(inlines=[SpeakingHistoryInline], actions=[assess_for_workshop],
                    permissions={"assess": lambda request: request.user.has_perm(...)})

Additions are made once, while the admin site is discovered (``INSTALLED_APPS`` order), and
then read by Django's own hooks (``get_inlines``, ``get_list_filter``, ``get_urls``).
"""


class AdminAdditionsMixin:
    """For a ModelAdmin (before the base class) that other apps may add to with ``add``."""

    added_inlines = ()
    added_list_filters = ()  # (filter, name of the filter it follows or None for the end)
    added_urls = ()  # functions of the model admin returning URL patterns

    @classmethod
    def add(cls, *, inlines=(), list_filters=(), after=None, actions=(), urls=None, permissions=None):
        """Add to this admin class: ``inlines``, ``list_filters`` (after the filter named ``after``,
        else at the end), ``actions`` (admin action functions), ``urls`` (a function of the model
        admin returning URL patterns, put before the admin's own) and ``permissions`` (name →
        function of the request, for ``has_<name>_permission`` that actions name)."""
        cls.added_inlines = [*cls.added_inlines, *inlines]
        cls.added_list_filters = [*cls.added_list_filters, *((spec, after) for spec in list_filters)]
        cls.actions = [*(cls.actions or []), *actions]
        if urls is not None:
            cls.added_urls = [*cls.added_urls, urls]
        for name, check in (permissions or {}).items():
            setattr(cls, f"has_{name}_permission", lambda self, request, check=check: check(request))

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *self.added_inlines]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        for spec, after in self.added_list_filters:
            names = [_filter_name(item) for item in filters]
            filters.insert(names.index(after) + 1 if after in names else len(filters), spec)
        return filters

    def get_urls(self):
        return [*(url for urls in self.added_urls for url in urls(self)), *super().get_urls()]


def _filter_name(item):
    """How ``after`` names a list filter: its field path, or its class name for a filter class."""
    if isinstance(item, str):
        return item
    if isinstance(item, tuple | list):
        return item[0]
    return item.__name__
