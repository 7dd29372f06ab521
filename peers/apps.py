from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from peers import registry


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = "Programs and people"

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the registry is ready.
        from peers.home import core_nav, core_todos
        from peers.middleware import session_stamp_at_sign_in
        from peers.services.notifications import notifications_sweep

        registry.register_sweep("notifications", notifications_sweep)
        registry.register_todo(core_todos)
        registry.register_nav(core_nav)
        user_logged_in.connect(session_stamp_at_sign_in, dispatch_uid="peers-session-stamp")
