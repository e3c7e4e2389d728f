from django.apps import AppConfig


class ScopedConfig(AppConfig):
    """A test-only app: a plain owned record to prove and benchmark the data-scope policy."""

    name = "kehu.testing.scoped"
    label = "scoped"

    def ready(self) -> None:
        from kehu.accounts.permissions import register_record_type

        register_record_type(
            "scoped.scopedrecord",
            "Scoped record",
            default_grants={
                "salesperson": (("view", "create", "edit"), "own"),
                "business_manager": (("view", "create", "edit", "delete", "export"), "subtree"),
                "sysadmin": (("view", "create", "edit", "delete", "export"), "all"),
            },
        )
