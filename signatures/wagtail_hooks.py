"""Signing certificates in the Wagtail admin (Settings → Signing certificates), for superusers
and holders of ``signatures.manage_certificates``: the list with each certificate's fingerprint,
validity and status; upload, revoke (final, with a date and a reason) and make active
(rotation). Certificates are never deleted: documents name them."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from signatures import admin_views
from signatures.models import SigningCertificate
from signatures.rules import manages_certificates


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Every action but deletion for those who manage certificates; deletion for nobody."""

    def user_has_permission(self, user, action):
        return action != "delete" and manages_certificates(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not set(actions) - {"delete"}:
            return self._get_users_with_any_permission_codenames(set())
        return self._get_users_with_any_permission_codenames({"manage_certificates"})


register_permission_policy(SigningCertificate, CertificatePermissionPolicy(SigningCertificate))


class CertificateIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None and not instance.is_active:
            buttons.append(MenuItem(_("Make active"), url=reverse("signing_certificates:activate", args=[instance.pk]), icon_name="tick", priority=40))
        if instance.revoked_at is None:
            buttons.append(MenuItem(_("Revoke"), url=reverse("signing_certificates:revoke", args=[instance.pk]), icon_name="warning", priority=50))
        return buttons


class SigningCertificateViewSet(ModelViewSet):
    model = SigningCertificate
    icon = "key"
    menu_label = _("Signing certificates")
    add_to_settings_menu = True
    index_view_class = CertificateIndexView
    form_fields = ["label"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "institution", "label", "fingerprint", "subject", "issuer", "serial_number",
        "not_before", "not_after", "is_demo", "key_reference", "is_active", "activated_at",
        "revoked_at", "revocation_reason", "revocation_note", "created_at", "certificate_pem",
        "chain_pem",
    ]
    copy_view_enabled = False
    list_display = [
        Column("institution", label=_("Institution"), accessor=lambda item: item.institution.title),
        "label",
        Column("fingerprint", label=_("SHA-256"), accessor=lambda item: f"{item.fingerprint[:16]}…"),
        DateColumn("not_after", label=_("Valid until")),
        Column("status", label=_("Status"), accessor=lambda item: item.get_status_display()),
        BooleanColumn("is_demo", label=_("Demo")),
    ]
    list_filter = ["is_active", "is_demo"]
    search_fields = ["label", "fingerprint", "subject"]
    search_backend_name = None

    def get_queryset(self, request):
        return SigningCertificate.objects.select_related("institution")

    @property
    def add_view(self):
        return admin_views.certificate_add_view

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type__app_label="signatures", codename="manage_certificates"
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_views.certificate_revoke_view, name="revoke"),
            path("activate/<int:pk>/", admin_views.certificate_activate_view, name="activate"),
        ]


signing_certificate_viewset = SigningCertificateViewSet("signing_certificates", url_prefix="signing-certificates")


@hooks.register("register_admin_viewset")
def register_signing_certificates():
    return signing_certificate_viewset
