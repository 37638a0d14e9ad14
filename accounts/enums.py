from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SECRETARIAT = "secretariat", _("Cluster secretariat")
    REPRESENTATIVE = "representative", _("School representative")
    OBSERVER = "observer", _("Academy observer")
