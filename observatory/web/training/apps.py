from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "observatory.web.training"
    label = "training"
    verbose_name = "Training"
