from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "observatory.web.programmes"
    label = "programmes"
    verbose_name = "Programmes"
