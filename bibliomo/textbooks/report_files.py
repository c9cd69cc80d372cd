"""A school's report as a file: the pre-filled template it downloads and the filled one it
uploads — the same for the page and for the commands `report_template` and `import_report`."""

from __future__ import annotations

import dataclasses
from datetime import date

from bibliomo.core.fields import max_length
from bibliomo.core.spreadsheet_limits import import_limits
from bibliomo.lib.provision_changes import data_version
from bibliomo.lib.provision_workbook import (
    EnrolmentRow,
    HoldingRow,
    LineRow,
    WorkbookData,
    WriteOffRow,
    read_workbook,
    write_workbook,
)
from bibliomo.textbooks import selectors
from bibliomo.textbooks.models import Submission, WriteOff

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def current_version(submission: Submission) -> str:
    """The fingerprint of the school's data for this campaign as it is now."""
    return data_version(selectors.school_rows(submission.school, submission.campaign.academic_year))


def template_bytes(submission: Submission) -> bytes:
    """The school's pre-filled template, stamped with the version of the data it shows."""
    book = dataclasses.replace(
        selectors.workbook_for(submission), data_version=current_version(submission)
    )
    return write_workbook(book, selectors.catalogue_refs())


def template_name(submission: Submission) -> str:
    return f"monitoring-{submission.campaign.academic_year}-school-{submission.school_id}.xlsx"


def read_report(submission: Submission, data: bytes, filename: str) -> WorkbookData:
    """A filled template of this school and campaign; WorkbookError says every problem."""
    return read_workbook(
        data,
        filename,
        selectors.catalogue_refs(),
        campaign_id=submission.campaign_id,
        school_id=submission.school_id,
        limits=import_limits("monitoring"),
        max_lengths={"act_number": max_length(WriteOff, "act_number") or 0},
    )


# An upload waiting for the person to confirm overwriting newer data lives in the session,
# which keeps JSON: rows as lists, dates as ISO text.


def to_session(data: WorkbookData) -> dict:
    return {
        "enrolment": [dataclasses.astuple(row) for row in data.enrolment],
        "lines": [dataclasses.astuple(row) for row in data.lines],
        "holdings": [dataclasses.astuple(row) for row in data.holdings],
        "write_offs": [
            [*dataclasses.astuple(row)[:4], row.act_date.isoformat()] for row in data.write_offs
        ],
        "data_version": data.data_version,
    }


def from_session(stored: dict) -> WorkbookData:
    return WorkbookData(
        enrolment=tuple(EnrolmentRow(*row) for row in stored["enrolment"]),
        lines=tuple(LineRow(*row) for row in stored["lines"]),
        holdings=tuple(HoldingRow(*row) for row in stored["holdings"]),
        write_offs=tuple(
            WriteOffRow(code, copies, reason, act, date.fromisoformat(act_date))
            for code, copies, reason, act, act_date in stored["write_offs"]
        ),
        data_version=stored["data_version"],
    )
