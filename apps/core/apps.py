from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from apps.core.store_config import store_config_connect

        # One place for every configuration model's signals (see apps.core.store_config).
        store_config_connect()
