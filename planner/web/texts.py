"""The words of the web app, in Dutch (the default) and English."""

from __future__ import annotations

LANGUAGES = ("nl", "en")
"""The languages of the pages; the first is the default."""

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("dakpan: vergaderingen plannen", "dakpan: plan meetings"),
    "home": ("Start", "Home"),
    "switch": ("English", "Nederlands"),
    "upload_title": ("Invoer uploaden", "Upload an input"),
    "upload_help": (
        "Een werkmap (.xlsx) of een zip met CSV-bestanden, ten hoogste {mb} MB.",
        "A workbook (.xlsx) or a zip of CSV files, at most {mb} MB.",
    ),
    "upload_button": ("Uploaden en controleren", "Upload and check"),
    "template": ("Leeg invoerbestand downloaden", "Download an empty input workbook"),
    "uploads": ("Eerdere invoer", "Earlier inputs"),
    "no_uploads": ("Nog niets geüpload.", "Nothing uploaded yet."),
    "file": ("bestand", "file"),
    "uploaded": ("geüpload", "uploaded"),
    "plans": ("Planningen", "Plans"),
    "no_plans": ("Nog geen planning.", "No plan yet."),
    "faults_title": ("De invoer heeft fouten", "The input has faults"),
    "faults_help": (
        "Er wordt niets gepland tot deze fouten verbeterd zijn. Verbeter ze en upload opnieuw.",
        "Nothing is planned until these faults are put right. Correct them and upload again.",
    ),
    "where": ("bestand of blad", "file or sheet"),
    "row": ("rij", "row"),
    "column": ("kolom", "column"),
    "message": ("wat er staat en wat er moet staan", "what was found and what was expected"),
    "warnings": ("Waarschuwingen", "Warnings"),
    "overview": ("Overzicht van de invoer", "Overview of the input"),
    "networks": ("netwerken", "networks"),
    "people": ("leden", "members"),
    "venues": ("locaties", "venues"),
    "memberships": ("lidmaatschappen (verplicht / optioneel)", "memberships (required / optional)"),
    "in_several": ("leden in twee of meer netwerken", "members in two or more networks"),
    "sharing_pairs": ("paren netwerken met gedeelde leden", "network pairs sharing members"),
    "per_network": ("Per netwerk", "Per network"),
    "network": ("netwerk", "network"),
    "name": ("naam", "name"),
    "meetings": ("vergaderingen", "meetings"),
    "required": ("verplicht", "required"),
    "optional": ("optioneel", "optional"),
    "candidates": ("mogelijke data", "candidate dates"),
    "max_meetings": ("passen er", "fit"),
    "fits": ("past", "fits"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    "overlap": ("Meeste gedeelde leden", "Most shared members"),
    "shared": ("gedeelde leden", "shared members"),
    "analysis": ("Analyse: groepen en setting", "Analysis: groups and settings"),
    "group": ("groep", "group"),
    "setting": ("setting", "setting"),
    "verdict": ("uitleg", "explanation"),
    "advice": ("advies: samen op één dag", "advice: together on one day"),
    "plan_title": ("Plannen", "Plan"),
    "time_limit": ("rekentijd (seconden)", "time limit (seconds)"),
    "seed": ("startgetal (seed)", "seed"),
    "hint": ("beginnen vanuit", "start from"),
    "hint_none": ("niets (opnieuw)", "nothing (afresh)"),
    "plan_button": ("Plannen", "Plan"),
    "compare": ("Twee planningen vergelijken", "Compare two plans"),
    "compare_button": ("Vergelijken", "Compare"),
    "queue": ("Wachtrij", "Queue"),
    "job_title": ("Bezig met plannen", "Planning"),
    "queued": ("In de wachtrij: plaats {position}", "Waiting in the queue: position {position}"),
    "running": ("Bezig", "Running"),
    "done": ("Klaar", "Done"),
    "noplan": ("Geen planning", "No plan"),
    "failed": ("Mislukt", "Failed"),
    "cancelled": ("Geannuleerd", "Cancelled"),
    "stop": ("Stoppen (beste planning bewaren)", "Stop (keep the best plan)"),
    "stopping": ("Stoppen gevraagd …", "Stop requested …"),
    "starting": ("invoer controleren …", "checking the input …"),
    "placed": (
        "{placed} van {total} vergaderingen geplaatst",
        "{placed} of {total} meetings placed",
    ),
    "km": ("reisafstand {km} km", "travel {km} km"),
    "trips": ("{trips} reisdagen", "{trips} trips"),
    "versus": ("{pct} t.o.v. ieder apart", "{pct} vs. each alone"),
    "elapsed": ("{seconds} van {limit} s", "{seconds} of {limit} s"),
    "to_result": ("Naar het resultaat", "To the result"),
    "no_plan_help": (
        "Er is geen planning gemaakt. Uitleg:",
        "No plan was made. Why:",
    ),
    "result": ("Resultaat", "Result"),
    "status": ("status", "status"),
    "figure": ("kengetal", "figure"),
    "plan": ("planning", "plan"),
    "baseline": ("ieder apart", "each alone"),
    "ratio": ("verhouding", "ratio"),
    "downloads": ("Downloads", "Downloads"),
    "zip": ("planmap als zip", "plan folder as zip"),
    "xlsx": ("schedule.xlsx (werkmap)", "schedule.xlsx (workbook)"),
    "csv": ("schedule.csv", "schedule.csv"),
    "report": ("verslag (report.html)", "report (report.html)"),
    "calendars": ("Agendabestanden (.ics)", "Calendar files (.ics)"),
    "open": ("openen", "open"),
    "hard_violations": ("harde overtredingen", "hard violations"),
    "travel_km": ("reisafstand (km)", "travel (km)"),
    "trips_figure": ("reisdagen", "trips"),
    "idle_minutes": ("wachttijd (min)", "waiting (min)"),
    "excess_idle_minutes": ("extra wachttijd (min)", "excess waiting (min)"),
    "long_waits": ("lange wachttijden", "long waits"),
    "sessions": ("sessies (dag en locatie)", "sessions (day and venue)"),
    "together_met": ("wensen 'samen' vervuld", "relay wishes met"),
    "if_need_be": ("als het moet (lid × vergadering)", "if need be (member × meeting)"),
    "optional_clashes": ("botsingen optionele leden", "optional clashes"),
    "venue_cost": ("kosten locaties", "venue cost"),
    "spread_days": ("spreiding (dagen)", "spread (days)"),
    "publish": ("Publiceren: agenda-abonnementen", "Publish: calendar subscriptions"),
    "publish_help": (
        "Maak de map met abonnementsfeeds (zoals dakpan publish --feeds) en zet haar op "
        "de webserver van uw organisatie; iedere deelnemer krijgt een eigen, "
        "onraadbaar adres (zie links.csv, alleen voor u).",
        "Make the folder of subscription feeds (as dakpan publish --feeds does) and put it "
        "on your organisation's web server; every member gets an address of their own "
        "that cannot be guessed (see links.csv, for you only).",
    ),
    "base_url": ("webadres van de map", "the folder's web address"),
    "feeds_button": ("Feedmap maken (zip)", "Make the feed folder (zip)"),
    "links": ("links.csv (adressen per deelnemer)", "links.csv (each member's address)"),
    "error": ("Fout", "Error"),
    "not_found": ("Niet gevonden.", "Not found."),
    "forbidden": (
        "Geen toegang: het toegangstoken ontbreekt of klopt niet.",
        "No access: the access token is missing or wrong.",
    ),
    "csrf": (
        "Het formulier is verlopen; laad de pagina opnieuw.",
        "The form has expired; reload the page.",
    ),
    "bad_host": ("Onbekende host.", "Unknown host."),
    "too_large": ("Het bestand is groter dan {mb} MB.", "The file is larger than {mb} MB."),
    "no_length": ("De upload geeft zijn lengte niet op.", "The upload does not state its length."),
    "bad_kind": (
        "Alleen een werkmap (.xlsx) of een zip met CSV-bestanden kan worden geüpload.",
        "Only a workbook (.xlsx) or a zip of CSV files can be uploaded.",
    ),
    "not_zip": ("{name} is geen geldige werkmap of zip.", "{name} is not a valid workbook or zip."),
    "bad_name": (
        "{name} bevat een onveilige bestandsnaam ({entry}); geweigerd.",
        "{name} holds an unsafe file name ({entry}); refused.",
    ),
    "bomb": (
        "{name} pakt uit tot meer dan {mb} MB of telt te veel bestanden; geweigerd.",
        "{name} unpacks to more than {mb} MB or holds too many files; refused.",
    ),
    "nested": (
        "{name}: zet alle CSV-bestanden in één map van de zip.",
        "{name}: put all the CSV files in one folder of the zip.",
    ),
    "no_csv": ("{name} bevat geen CSV-bestanden.", "{name} holds no CSV files."),
    "bad_number": (
        "{field} moet een getal tussen {low} en {high} zijn.",
        "{field} must be a number from {low} to {high}.",
    ),
    "compare_title": ("Vergelijking", "Comparison"),
    "explanation_missing": ("(geen uitleg)", "(no explanation)"),
    "token_note": ("Toegang met token.", "Access with a token."),
}
"""Key -> (Dutch, English)."""


def t(lang: str, key: str, **values: object) -> str:
    """The text ``key`` in ``lang`` (``nl`` or ``en``), with ``values`` filled in."""
    nl, en = TEXTS[key]
    return (en if lang == "en" else nl).format(**values)


def number(value: float, decimals: int, lang: str) -> str:
    """``value`` with ``decimals`` decimals and thousands grouped, Dutch style unless ``en``."""
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
