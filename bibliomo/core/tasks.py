from django_tasks import task


@task()
def send_letter(letter_id: int) -> None:
    from bibliomo.core.mail import letter_deliver

    letter_deliver(letter_id)
