from django.apps import AppConfig


class ShellConfig(AppConfig):
    name = "observatory.web.shell"
    label = "shell"
    verbose_name = "Web shell"
