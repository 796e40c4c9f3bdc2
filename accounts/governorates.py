"""Tunisia's 24 governorates, keyed by their ISO 3166-2:TN codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Governorate(models.TextChoices):
    TUNIS = "TN-11", _("Tunis")
    ARIANA = "TN-12", _("Ariana")
    BEN_AROUS = "TN-13", _("Ben Arous")
    MANOUBA = "TN-14", _("Manouba")
    NABEUL = "TN-21", _("Nabeul")
    ZAGHOUAN = "TN-22", _("Zaghouan")
    BIZERTE = "TN-23", _("Bizerte")
    BEJA = "TN-31", _("Béja")
    JENDOUBA = "TN-32", _("Jendouba")
    KEF = "TN-33", _("Le Kef")
    SILIANA = "TN-34", _("Siliana")
    KAIROUAN = "TN-41", _("Kairouan")
    KASSERINE = "TN-42", _("Kasserine")
    SIDI_BOUZID = "TN-43", _("Sidi Bouzid")
    SOUSSE = "TN-51", _("Sousse")
    MONASTIR = "TN-52", _("Monastir")
    MAHDIA = "TN-53", _("Mahdia")
    SFAX = "TN-61", _("Sfax")
    GAFSA = "TN-71", _("Gafsa")
    TOZEUR = "TN-72", _("Tozeur")
    KEBILI = "TN-73", _("Kebili")
    GABES = "TN-81", _("Gabès")
    MEDENINE = "TN-82", _("Medenine")
    TATAOUINE = "TN-83", _("Tataouine")
