from django.urls import path, re_path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.SignUpView.as_view(), name="sign_up"),
    path("sign-up/sent/", views.SignUpDoneView.as_view(), name="sign_up_done"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notification_settings, name="notification_settings"),
    path("my-data/", views.my_data, name="my_data"),
    re_path(r"^my-data/export\.(?P<fmt>json|html)$", views.my_data_export, name="my_data_export"),
    path("delete/", views.account_delete, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
    path("verify/send/", views.verify_email_resend, name="verify_email_resend"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
