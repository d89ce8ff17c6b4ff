from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "Readiness"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from readiness import roles

        # Permissions of models added by later migrations reach the roles after every migrate.
        post_migrate.connect(roles.sync_after_migrate, dispatch_uid="readiness.roles.sync")
