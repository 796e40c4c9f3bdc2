from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms that know Majlis's user model."""

    user_viewset = "accounts.viewsets.UserViewSet"
