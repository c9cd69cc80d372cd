"""Calendars in the iCalendar format (RFC 5545) that Yandex, Google and Outlook import.

The association lives in Moscow time, so every event is written in Europe/Moscow local time
with a VTIMEZONE describing that zone: a calendar app then shows 10:00 for a seminar at 10:00
whatever zone its user is in. A feed re-published after an event changed carries a higher
SEQUENCE and a newer LAST-MODIFIED, which is what makes subscribed calendars replace their copy
instead of keeping the old one; a cancelled event stays in the feed with STATUS:CANCELLED so
that calendars strike it out rather than silently keeping it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

ICS_MIME = "text/calendar"
TIMEZONE_NAME = "Europe/Moscow"
MOSCOW = ZoneInfo(TIMEZONE_NAME)
PRODID = "-//Bibliomo//Bibliomo//RU"


@dataclass
class CalendarEvent:
    uid: str  # stable across exports, e.g. "event-42@bibliomo"
    title: str
    start: datetime  # timezone-aware
    end: datetime
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0  # bumped on every change a calendar should pick up
    last_modified: datetime | None = None

    def __post_init__(self) -> None:
        for label, moment in (("start", self.start), ("end", self.end)):
            if moment.tzinfo is None or moment.utcoffset() is None:
                # A naive time would be read as "floating" time by calendars: 10:00 in
                # whatever zone the reader is in, which is wrong for anyone outside Moscow.
                raise ValueError(f"CalendarEvent {self.uid!r}: {label} must be timezone-aware")
        if self.end < self.start:
            raise ValueError(f"CalendarEvent {self.uid!r}: end must not be before start")


def build_calendar(name: str, events: Iterable[CalendarEvent], *, method: str = "PUBLISH") -> bytes:
    """A whole calendar: a subscription feed or a download of several events.

    `method` stays PUBLISH for feeds and attachments alike: REQUEST and CANCEL are
    scheduling messages (RFC 5546) that need an ORGANIZER and ATTENDEEs, which we do not send.
    """
    listed = list(events)  # walked twice: for the time zone's span and for the events
    stamp = datetime.now(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.upper())
    calendar.add("name", name)  # RFC 7986; the X-WR- properties are what Google and Yandex read
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIMEZONE_NAME)
    calendar.add_component(_moscow_timezone(listed, today=stamp.astimezone(MOSCOW).date()))
    for event in listed:
        calendar.add_component(_vevent(event, stamp))
    # to_ical() escapes text, folds lines at 75 octets and ends each line with CRLF.
    return calendar.to_ical()


def single_event_ics(event: CalendarEvent, calendar_name: str) -> bytes:
    """One event as an .ics attachment for an e-mail («Добавить в календарь»)."""
    return build_calendar(calendar_name, [event])


def _vevent(event: CalendarEvent, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start.astimezone(MOSCOW))
    if event.end > event.start:
        # RFC 5545 wants DTEND later than DTSTART; a moment's event is written without it.
        vevent.add("dtend", event.end.astimezone(MOSCOW))
    vevent.add("summary", event.title)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("sequence", event.sequence)
    if event.last_modified is not None:
        # RFC 5545 requires LAST-MODIFIED in UTC.
        vevent.add("last-modified", event.last_modified.astimezone(UTC))
    for key, value in (
        ("description", event.description),
        ("location", event.location),
        ("url", event.url),
    ):
        if value:
            vevent.add(key, value)
    return vevent


def _moscow_timezone(events: Sequence[CalendarEvent], today: date) -> Timezone:
    """The VTIMEZONE for Europe/Moscow, covering the span of the events.

    It is computed from the tz database rather than written by hand, so a future change of
    Moscow time reaches the calendars with a tzdata update. Limiting it to the events' span
    keeps it to a few lines instead of every transition since 1970.
    """
    if events:
        first = min(event.start for event in events).astimezone(MOSCOW).date()
        last = max(event.end for event in events).astimezone(MOSCOW).date()
    else:
        first = last = today
    timezone = Timezone.from_tzid(
        TIMEZONE_NAME, first_date=first - timedelta(days=1), last_date=last + timedelta(days=366)
    )
    # The library notes the span in English; a calendar may show it to the person.
    timezone.pop("COMMENT", None)
    return timezone
