"""An invited juror takes her seat when she accepts the invitation the seat is waiting on."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from bibliomo.contests.models import Juror
from bibliomo.directory.models import Invitation


@receiver(post_save, sender=Invitation, dispatch_uid="contests_seat_invited_juror")
def seat_invited_juror(sender, instance: Invitation, **kwargs) -> None:
    if instance.person_id is not None and instance.accepted_at is not None:
        Juror.objects.filter(invitation=instance, person__isnull=True).update(
            person_id=instance.person_id
        )
