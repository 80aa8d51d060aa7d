from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "observatory.web.data"
    label = "data"
    verbose_name = "Data imports"
