"""Who manages signing certificates: superusers, and accounts given the permission
``signatures.manage_certificates`` (through a group, in Settings → Groups)."""

import rules


@rules.predicate
def manages_certificates(user) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and (user.is_superuser or user.has_perm("signatures.manage_certificates"))
    )
