"""A small plan for the publishing tests, and a re-plan of it.

The plan is ``tests/test_ics.py``'s sample (its module docstring lists the
meetings and their UTC times) with e-mail addresses, plus network ``c``
(person ``t`` only) meeting on 12 October at Middelburg, a session of its
own; network ``ü/../x`` is left out and ``changeover`` is 0, so that
the plan breaks no hard rule. People: ``p`` (in a and b) and ``q`` (in a) and ``t`` (in c) have
addresses; ``r`` (optional in b and A) has none; ``s`` has an address and
no meetings.

The re-plan (:func:`replanned`) moves b-1 from 11:15 to 11:30 and plans
network ``a`` once instead of twice, so that a-2 is gone. The 14 September
session's relay changes with b-1, so A-1, a-1 and b-1 all change
(``a-1`` also reads "1 van 1" now); b-2 and c-1 do not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from planner.ics import ics_writer
from planner.planfile import write_plan_folder
from planner.problem import Membership, Problem
from planner.schedule import Schedule
from tests.conftest import network, person
from tests.test_ics import placements, sample

EMAILS = {"p": "p@example.org", "q": "Q@Example.org", "s": "s@example.org", "t": "t@example.org"}


def problem(a_meetings: int = 2) -> Problem:
    """The sample with addresses and network ``c``; ``a_meetings`` meetings of ``a``."""
    base = sample()
    people = tuple(replace(p, email=EMAILS.get(p.id, "")) for p in base.people)
    networks = (
        *(
            replace(n, meetings=a_meetings) if n.id == "a" else n
            for n in base.networks
            if n.id != "ü/../x"  # it has no meetings: a hard violation
        ),
        network("c", name="Netwerk C", venues=("middelburg",)),
    )
    return replace(
        base,
        settings=replace(base.settings, changeover=0),  # A-1 ends as a-1 begins
        networks=networks,
        people=(*people, person("t", name="Tineke", email=EMAILS["t"])),
        memberships=(*base.memberships, Membership("c", "t")),
    )


def schedule(prob: Problem, *, replan: bool = False) -> Schedule:
    """The plan's meetings; with ``replan`` b-1 at 11:30 and no a-2."""
    rows = placements(11 * 60 + 30 if replan else 11 * 60 + 15)
    if replan:
        rows = [r for r in rows if not (r[0] == "a" and r[1] == date(2027, 11, 16))]
    rows.append(("c", date(2027, 10, 12), 14 * 60, "middelburg"))
    return Schedule.build(prob, rows)


def write_plan(out: Path, *, replan: bool = False) -> Path:
    """Write the plan (or its re-plan) into ``out`` as ``dakpan plan`` does."""
    prob = problem(1 if replan else 2)
    sched = schedule(prob, replan=replan)
    previous = out / "ics" if (out / "ics").is_dir() else None
    write_plan_folder(out, prob, sched, extra=[ics_writer(prob, sched, previous)])
    return out
