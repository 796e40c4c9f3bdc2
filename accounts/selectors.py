from accounts.models import User, normalise_email


def user_email_taken(*, email: str) -> bool:
    return User.objects.filter(email=normalise_email(email)).exists()
