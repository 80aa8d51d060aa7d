from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "observatory.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"
