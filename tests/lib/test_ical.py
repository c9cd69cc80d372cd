from datetime import UTC, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from bibliomo.lib.ical import MOSCOW, CalendarEvent, build_calendar, single_event_ics


def seminar(**changes) -> CalendarEvent:
    values = {
        "uid": "event-42@bibliomo",
        "title": "Семинар «Алгоритм заказа учебников»",
        "start": datetime(2025, 4, 24, 10, 0, tzinfo=MOSCOW),
        "end": datetime(2025, 4, 24, 12, 0, tzinfo=MOSCOW),
        "description": "Для педагогов-библиотекарей",
        "location": "МБОУ «Гимназия № 1», ул. Ворошилова, д. 79",
        "url": "https://bibliomo.example/events/42/",
        "sequence": 3,
        "last_modified": datetime(2025, 4, 1, 15, 30, tzinfo=MOSCOW),
    }
    return CalendarEvent(**(values | changes))


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def only_event(data: bytes):
    (event,) = parse(data).events
    return event


def test_calendar_has_the_properties_calendar_apps_read():
    calendar = parse(build_calendar("ММО Серпухов", [seminar()]))

    assert calendar["VERSION"] == "2.0"
    assert "Bibliomo" in calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "ММО Серпухов"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Moscow"


def test_event_fields_survive_a_round_trip_with_cyrillic_text():
    event = only_event(build_calendar("ММО", [seminar()]))

    assert event["UID"] == "event-42@bibliomo"
    assert event["SUMMARY"] == "Семинар «Алгоритм заказа учебников»"
    assert event["DESCRIPTION"] == "Для педагогов-библиотекарей"
    assert event["LOCATION"] == "МБОУ «Гимназия № 1», ул. Ворошилова, д. 79"
    assert event["URL"] == "https://bibliomo.example/events/42/"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 3


def test_ten_o_clock_in_moscow_is_written_as_ten_o_clock_moscow_time():
    data = build_calendar("ММО", [seminar()])
    event = only_event(data)

    assert b"DTSTART;TZID=Europe/Moscow:20250424T100000" in data
    assert b"DTEND;TZID=Europe/Moscow:20250424T120000" in data
    assert event.start == datetime(2025, 4, 24, 10, 0, tzinfo=MOSCOW)
    assert event.start.hour == 10


def test_a_time_given_in_another_zone_is_converted_to_moscow_time():
    seven_utc = datetime(2025, 4, 24, 7, 0, tzinfo=UTC)
    data = build_calendar("ММО", [seminar(start=seven_utc, end=seven_utc + timedelta(hours=1))])

    assert b"DTSTART;TZID=Europe/Moscow:20250424T100000" in data


def test_stamps_are_in_utc():
    data = build_calendar("ММО", [seminar()])
    event = only_event(data)

    assert event.DTSTAMP.tzinfo is not None and event.DTSTAMP.utcoffset() == timedelta(0)
    assert b"LAST-MODIFIED:20250401T123000Z" in data


def test_a_vtimezone_for_moscow_is_included_and_covers_the_event():
    calendar = parse(build_calendar("ММО", [seminar()]))

    (vtimezone,) = calendar.timezones
    assert vtimezone["TZID"] == "Europe/Moscow"
    assert calendar.get_missing_tzids() == set()
    moscow = vtimezone.to_tz()
    assert datetime(2025, 4, 24, 10, tzinfo=moscow).utcoffset() == timedelta(hours=3)


def test_an_empty_calendar_still_describes_its_time_zone():
    calendar = parse(build_calendar("ММО", []))

    assert calendar.events == []
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Moscow"]


def test_lines_end_with_crlf_and_are_folded_at_75_octets():
    long_description = "Очень длинное описание семинара, " * 10
    data = build_calendar("ММО", [seminar(description=long_description)])

    lines = data.split(b"\r\n")
    assert lines[-1] == b""  # the last line ends with CRLF too
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # folding never splits a Cyrillic letter's two bytes
    assert only_event(data)["DESCRIPTION"] == long_description


def test_commas_semicolons_and_newlines_in_text_are_escaped():
    data = build_calendar(
        "ММО", [seminar(title="Итоги; планы, задачи", description="Первая строка\nВторая, третья")]
    )
    unfolded = data.replace(b"\r\n ", b"")

    assert "SUMMARY:Итоги\\; планы\\, задачи".encode() in unfolded
    assert "DESCRIPTION:Первая строка\\nВторая\\, третья".encode() in unfolded
    event = only_event(data)
    assert event["SUMMARY"] == "Итоги; планы, задачи"
    assert event["DESCRIPTION"] == "Первая строка\nВторая, третья"


def test_a_cancelled_event_is_kept_with_status_cancelled():
    event = only_event(build_calendar("ММО", [seminar(cancelled=True, sequence=4)]))

    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 4


def test_empty_optional_fields_are_left_out():
    event = only_event(
        build_calendar("ММО", [seminar(description="", location="", url="", last_modified=None)])
    )

    for name in ("DESCRIPTION", "LOCATION", "URL", "LAST-MODIFIED"):
        assert name not in event


def test_several_events_keep_their_order_and_uids():
    second = seminar(
        uid="event-43@bibliomo",
        start=datetime(2025, 10, 27, 14, tzinfo=MOSCOW),
        end=datetime(2025, 10, 27, 16, tzinfo=MOSCOW),
    )
    calendar = parse(build_calendar("ММО", [seminar(), second]))

    assert [event["UID"] for event in calendar.events] == ["event-42@bibliomo", "event-43@bibliomo"]


def test_single_event_attachment_is_a_whole_calendar_with_one_event():
    calendar = parse(single_event_ics(seminar(), "ММО Серпухов"))

    assert calendar["X-WR-CALNAME"] == "ММО Серпухов"
    assert [event["UID"] for event in calendar.events] == ["event-42@bibliomo"]
    assert len(calendar.timezones) == 1


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        seminar(start=datetime(2025, 4, 24, 10), end=datetime(2025, 4, 24, 12))


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="end must not be before start"):
        seminar(end=datetime(2025, 4, 24, 9, tzinfo=timezone(timedelta(hours=3))))


def test_an_event_without_duration_has_no_dtend():
    start = datetime(2025, 4, 24, 10, tzinfo=MOSCOW)
    event = only_event(build_calendar("ММО", [seminar(start=start, end=start)]))

    assert "DTEND" not in event
    assert event.start == start
