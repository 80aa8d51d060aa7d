"""The public dashboards under /public/: no login, local authorities and wards only,
police.uk and emergency-department aggregates only (services.check_public), every count
under the partnership's disclosure rule, with the "about the data" panel.

Each view is one page of `pages.PAGES`; pages.py builds them from the dashboards' panels.
"""

from django.contrib.auth.decorators import login_not_required

from observatory.analysis.disclosure import Audience
from observatory.web.dashboards.pages import page_view

overview = page_view("overview", Audience.PUBLIC, login_not_required)
map_view = page_view("map", Audience.PUBLIC, login_not_required)
time = page_view("time", Audience.PUBLIC, login_not_required)
who = page_view("who", Audience.PUBLIC, login_not_required)
compare = page_view("compare", Audience.PUBLIC, login_not_required)
