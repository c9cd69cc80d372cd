"""Builders for the consultation desk's tests."""

from bibliomo.consultations import services


def ask(person, association, **changes):
    fields = {
        "topic": "write_off",
        "subject": "Как списать учебники с истёкшим сроком?",
        "text": "В школе 40 учебников истории, исключённых из перечня. Как оформить акт?",
        **changes,
    }
    return services.question_ask(person, association, **fields)
