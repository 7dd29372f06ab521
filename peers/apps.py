from django.apps import AppConfig


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = "Programs and people"

    def ready(self) -> None:
        from peers import registry
        from peers.home import core_nav, core_todos
        from peers.services.notifications import notifications_sweep

        registry.register_sweep("notifications", notifications_sweep)
        registry.register_todo(core_todos)
        registry.register_nav(core_nav)
