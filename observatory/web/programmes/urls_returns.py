"""Addresses of providers' quarterly returns, under /programmes/returns/. A return's address
names its programme and the first day of its quarter (YYYY-MM-DD); other quarter starts are
404. The patterns start with a number, so they never shadow the schedule's "due/"."""

from django.urls import path

from observatory.web.programmes import views_returns

urlpatterns = [
    path("", views_returns.returns_list, name="returns"),
    path("<int:programme>/<str:quarter>/", views_returns.return_edit, name="returns-edit"),
]
