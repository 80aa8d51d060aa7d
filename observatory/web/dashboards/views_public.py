"""The public dashboards under /public/: no login, local authorities and wards only,
police.uk and emergency-department aggregates only (services.check_public), every count
under the partnership's disclosure rule, with the "about the data" panel.

Each view is one page of `pages.PAGES`; pages.py builds them from the dashboards' panels.
"""

from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_safe

from observatory.analysis.disclosure import Audience
from observatory.web.dashboards.pages import render_page


def _page(key: str):
    @login_not_required
    @require_safe
    def view(request):
        return render_page(request, key, Audience.PUBLIC)

    view.__name__ = view.__qualname__ = key
    view.__doc__ = f"The public dashboards' {key} page."
    return view


overview = _page("overview")
map_view = _page("map")
time = _page("time")
who = _page("who")
compare = _page("compare")
