"""Who may see reminders and notifications.

- ``notifications.read_outbox`` (object: Cluster): the cluster's secretariat, the admin and
  the Academy's observers (they read, nothing more);
- ``notifications.manage_outbox`` (object: Cluster): send a reminder now, send a failed
  message again: the cluster's secretariat and the admin;
- ``notifications.read_recipient_addresses`` (object: Cluster): the recipients' email
  addresses in the outbox: those who run the cluster, not the observers (like
  ``cluster.read_school_contacts``);
- ``notifications.read_notification`` (object: Notification): its owner only; everyone
  sees their own notifications and nobody else's (the views ask the rule
  ``notifications.own_notification``, which the superuser does not bypass);
- ``notifications.use_notifications``: the notifications page, any signed-in user.
"""

from __future__ import annotations

import rules

from accounts.rules import is_admin, is_observer, is_signed_in
from cluster.rules import is_secretariat_of_cluster


@rules.predicate
def is_owner(user, notification) -> bool:
    return bool(notification is not None and is_signed_in(user) and notification.user_id == user.pk)


can_read_outbox = is_admin | is_observer | is_secretariat_of_cluster
can_manage_outbox = is_admin | is_secretariat_of_cluster

rules.add_perm("notifications.read_outbox", can_read_outbox)
rules.add_perm("notifications.manage_outbox", can_manage_outbox)
rules.add_perm("notifications.read_recipient_addresses", can_manage_outbox)
rules.add_perm("notifications.read_notification", is_owner)
rules.add_perm("notifications.use_notifications", is_signed_in)

# The same predicates as plain rules, which a superuser does not bypass: a notification is
# personal, even the admin does not open (and so mark read) someone else's. The outbox
# links of the notifications page ask the predicate only (no fall-through to Django's
# permission tables, see accounts.rules).
rules.add_rule("notifications.own_notification", is_owner)
rules.add_rule("notifications.outbox_link", can_read_outbox)
