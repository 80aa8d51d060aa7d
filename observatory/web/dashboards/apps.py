from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "observatory.web.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
