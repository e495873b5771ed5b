"""An empty input workbook to fill in: ``dakpan template OUT.xlsx``.

The workbook has one sheet per table of the data contract with its header
row (bold, frozen, with sensible column widths), a ``settings`` sheet with the
header ``key,value`` listing every contract setting (``start`` and ``end``
empty, the others at their defaults), and a Dutch ``uitleg`` sheet that
explains every sheet and column. Read back unfilled, it gives a clear
"the input is empty" error.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from planner.outdir import atomic_file
from planner.read import REQUIRED_TABLES, SCHEMA, SETTINGS_KEYS, TABLES, settings_defaults

__all__ = ["COLUMN_HELP", "SETTING_HELP", "SHEET_HELP", "write_template"]

#: Dutch explanation of every sheet.
SHEET_HELP: dict[str, str] = {
    "networks": "De netwerken (samenwerkingsverbanden) die in het schooljaar vergaderen.",
    "people": "De deelnemers: bestuurders of wie een bestuur afvaardigt.",
    "memberships": "Wie in welk netwerk zit: één rij per persoon per netwerk.",
    "venues": "De vergaderlocaties.",
    "fixed": "Vergaderingen die al vastliggen (mag leeg blijven). "
    "Ze tellen mee voor 'meetings' van het netwerk.",
    "travel": "Eigen reisafstanden die de berekende afstand vervangen (mag leeg blijven).",
    "together": "Dakpanwensen (mag leeg blijven): netwerken die in één sessie willen vergaderen, "
    "op dezelfde dag op dezelfde locatie, eventueel direct na elkaar in de genoemde volgorde.",
    "settings": "Instellingen: kolom 'key' is de naam, kolom 'value' de waarde. "
    "start en end zijn verplicht; laat een andere waarde leeg voor de standaard.",
}

#: Dutch explanation per (sheet, column): meaning, default, example.
COLUMN_HELP: dict[tuple[str, str], tuple[str, str, str]] = {
    ("networks", "id"): ("Unieke code van het netwerk.", "", "swv-zld"),
    ("networks", "name"): ("Naam zoals die in agenda en rapport staat.", "", "SWV Zeeland"),
    ("networks", "meetings"): (
        "Aantal vergaderingen in de planperiode (geheel getal, minstens 1).",
        "",
        "4",
    ),
    ("networks", "duration"): (
        "Duur van één vergadering in minuten (een veelvoud van 'slot').",
        "",
        "90",
    ),
    ("networks", "min_gap_days"): (
        "Minimaal aantal dagen tussen twee vergaderingen van dit netwerk.",
        "instelling min_gap_days",
        "28",
    ),
    ("networks", "weekdays"): (
        "Dagen waarop het netwerk mag vergaderen, gescheiden door ';' (ma di wo do vr za zo).",
        "instelling weekdays",
        "di;do",
    ),
    ("networks", "earliest"): ("Vroegste begintijd (UU:MM).", "instelling day_start", "09:30"),
    ("networks", "latest"): ("Laatste eindtijd (UU:MM).", "instelling day_end", "16:00"),
    ("networks", "venues"): (
        "Codes van de locaties die het netwerk mag gebruiken, gescheiden door ';'.",
        "alle locaties",
        "goes;middelburg",
    ),
    ("networks", "region"): (
        "Regio voor de schoolvakanties: noord, midden of zuid.",
        "instelling region",
        "zuid",
    ),
    ("people", "id"): (
        "Unieke code van de persoon (niet gelijk aan een locatiecode).",
        "",
        "jdevries",
    ),
    ("people", "name"): ("Naam.", "", "Jan de Vries"),
    ("people", "organisation"): ("Het bestuur dat de persoon vertegenwoordigt.", "", "Stichting X"),
    ("people", "email"): ("E-mailadres, voor de eigen agenda en het rapport.", "", "jan@x.nl"),
    ("people", "place"): (
        "Plaats waar de persoon vandaan reist: een Nederlandse stad of dorp, zo nodig met "
        "de provincie na een komma ('Hengelo, Overijssel'). Hoofdletters en accenten maken "
        "niet uit. Vul place in, of anders lat en lon.",
        "",
        "Zierikzee",
    ),
    ("people", "lat"): (
        "Breedtegraad van het vertrekpunt (graden); alleen nodig zonder place "
        "(gaat voor place als beide zijn ingevuld).",
        "uit place",
        "51.4988",
    ),
    ("people", "lon"): (
        "Lengtegraad van het vertrekpunt (graden); alleen nodig zonder place.",
        "uit place",
        "3.6136",
    ),
    ("people", "unavailable"): (
        "Data waarop de persoon niet kan: JJJJ-MM-DD, een reeks JJJJ-MM-DD..JJJJ-MM-DD of "
        "een tijdvak op één dag JJJJ-MM-DD UU:MM-UU:MM (alleen dan niet), gescheiden door ';'.",
        "geen",
        "2027-10-12;2027-12-01..2027-12-05;2028-01-18 13:00-17:00",
    ),
    ("people", "if_need_be"): (
        "Data of tijdvakken waarop de persoon alleen kan 'als het moet' (zoals 'unavailable' "
        "geschreven). Geen verbod: elke vergadering van de persoon daarop kost "
        "weight_if_need_be.",
        "geen",
        "2027-11-02;2028-02-08 09:00-12:00",
    ),
    ("memberships", "network"): ("Code van het netwerk.", "", "swv-zld"),
    ("memberships", "person"): ("Code van de persoon.", "", "jdevries"),
    ("memberships", "role"): (
        "required (verplicht) of optional (optioneel). Optionele leden tellen mee voor de "
        "zaalgrootte; een botsing voor hen is ongewenst maar toegestaan.",
        "required",
        "optional",
    ),
    ("venues", "id"): ("Unieke code van de locatie.", "", "goes"),
    ("venues", "name"): ("Naam.", "", "Stadskantoor Goes"),
    ("venues", "address"): ("Adres, komt in de agenda (LOCATION).", "", "Markt 1, Goes"),
    ("venues", "place"): (
        "Plaats van de locatie: stad of dorp, zo nodig met de provincie ('Hengelo, "
        "Gelderland'). Vul place in, of anders lat en lon.",
        "",
        "Goes",
    ),
    ("venues", "lat"): (
        "Breedtegraad (graden); alleen nodig zonder place (gaat voor place).",
        "uit place",
        "51.5040",
    ),
    ("venues", "lon"): ("Lengtegraad (graden); alleen nodig zonder place.", "uit place", "3.8880"),
    ("venues", "capacity"): ("Maximaal aantal personen in één vergaderzaal.", "", "20"),
    ("venues", "rooms"): ("Aantal vergaderingen dat er tegelijk kan plaatsvinden.", "1", "2"),
    ("venues", "weekdays"): (
        "Dagen waarop de locatie open is, gescheiden door ';'.",
        "instelling weekdays",
        "ma;di;wo;do",
    ),
    ("venues", "open"): ("Openingstijd (UU:MM).", "instelling day_start", "08:30"),
    ("venues", "close"): ("Sluitingstijd (UU:MM).", "instelling day_end", "18:00"),
    ("venues", "unavailable"): (
        "Data en tijdvakken waarop de locatie dicht is (zoals bij people).",
        "geen",
        "2027-11-11",
    ),
    ("venues", "cost"): ("Kosten van de locatie per gebruiksdag in euro.", "0", "125"),
    ("fixed", "network"): ("Code van het netwerk.", "", "swv-zld"),
    ("fixed", "date"): ("Datum (JJJJ-MM-DD).", "", "2027-09-14"),
    ("fixed", "start"): ("Begintijd (UU:MM).", "", "10:00"),
    ("fixed", "venue"): ("Code van de locatie.", "", "goes"),
    ("travel", "from"): ("Code van een persoon of locatie.", "", "jdevries"),
    ("travel", "to"): ("Code van een persoon of locatie.", "", "goes"),
    ("travel", "km"): ("Afstand over de weg in km.", "", "23,5"),
    ("travel", "minutes"): (
        "Reistijd in minuten.",
        "km / speed_kmh x 60",
        "25",
    ),
    ("together", "networks"): (
        "Codes van twee of meer netwerken die samen één sessie willen (zelfde dag, zelfde "
        "locatie), gescheiden door ';'.",
        "",
        "swv-zld;po-zld",
    ),
    ("together", "times"): (
        "In hoeveel sessies per planperiode ze allemaal samen moeten zitten (minstens 1).",
        "",
        "2",
    ),
    ("together", "order"): (
        "yes: direct na elkaar in de genoemde volgorde (de eerste vergadering van elk netwerk "
        "begint bij of na het einde van die van het vorige).",
        "no",
        "yes",
    ),
    ("together", "hard"): (
        "yes: een harde eis (anders geen planning); no: een wens die zoveel mogelijk wordt "
        "gehaald.",
        "no",
        "no",
    ),
}

#: Dutch explanation of every setting.
SETTING_HELP: dict[str, str] = {
    "start": "Eerste dag van de planperiode (JJJJ-MM-DD). Verplicht.",
    "end": "Laatste dag van de planperiode (JJJJ-MM-DD). Verplicht.",
    "region": "Standaardregio voor de schoolvakanties: noord, midden of zuid.",
    "weekdays": "Standaard vergaderdagen, gescheiden door ';'.",
    "day_start": "Begin van de vergaderdag (UU:MM).",
    "day_end": "Einde van de vergaderdag (UU:MM).",
    "slot": "Tijdraster in minuten: elke begintijd ligt een geheel aantal slots na day_start.",
    "changeover": "Minimale minuten tussen twee vergaderingen van één persoon (plus reistijd "
    "bij een andere locatie); zo lang blijft een zaal na afloop ook bezet.",
    "min_gap_days": "Standaard minimaal aantal dagen tussen vergaderingen van een netwerk.",
    "max_meetings_per_day": "Maximaal aantal vergaderingen per persoon per dag.",
    "long_wait": "Een wachttijd tussen twee vergaderingen van één persoon die langer is dan "
    "dit aantal minuten telt als lange wachttijd (cijfer long_waits).",
    "public_holidays": "Nooit plannen op Nederlandse feestdagen (true/false).",
    "school_holidays": "Nooit plannen in de schoolvakanties van de regio (true/false).",
    "road_factor": "Wegafstand = hemelsbrede afstand x deze factor.",
    "speed_kmh": "Gemiddelde reissnelheid in km/u.",
    "time_limit": "Rekentijd van de planner in seconden.",
    "seed": "Startgetal van het toeval: dezelfde invoer en seed geven dezelfde planning.",
    "timezone": "Tijdzone van alle tijden.",
    "language": "Taal van agenda en rapport: nl of en.",
    "weight_travel_km": "Gewicht van een km reisafstand in de doelfunctie (in tienden).",
    "weight_trips": "Gewicht van een reisdag (persoon x dag) in de doelfunctie (in tienden).",
    "weight_idle_minutes": "Gewicht van een wachtminuut tussen vergaderingen (in tienden).",
    "weight_optional_clashes": "Gewicht van een botsing voor een optioneel lid (in tienden).",
    "weight_venue_cost": "Gewicht van een euro locatiekosten (in tienden).",
    "weight_spread_days": "Gewicht van een dag afwijking van gelijkmatige spreiding (in tienden).",
    "weight_together": "Gewicht van elke sessie die een dakpanwens (blad together, hard = no) "
    "nog mist (in tienden).",
    "weight_long_waits": "Gewicht van elke wachttijd langer dan long_wait minuten tussen twee "
    "vergaderingen van een lid (in tienden).",
    "weight_if_need_be": "Gewicht van elk 'als het moet' (kolom if_need_be) van een lid op de "
    "dag of tijd van een vergadering (in tienden).",
    "weight_moved_meeting": "Herplannen: gewicht van elke verschoven vergadering (in tienden).",
    "weight_moved_member": "Herplannen: gewicht van elk lid wiens agenda verandert (in tienden).",
}

# Columns that hold ids, stored as text so that Excel keeps ids like 007.
_TEXT_COLUMNS = frozenset({"id", "network", "person", "venue", "venues", "from", "to", "networks"})
_WIDE_COLUMNS = {
    "place": 22,
    "name": 28,
    "address": 32,
    "email": 28,
    "unavailable": 34,
    "if_need_be": 34,
    "organisation": 24,
    "networks": 30,
}


def write_template(path: Path) -> None:
    """Write the empty input workbook.

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (replaced in one step if it exists).

    Raises
    ------
    OSError
        When it cannot be written; no file (or the old one) is left.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    wb = Workbook()
    first = wb.active
    for name in TABLES:
        ws = wb.create_sheet(name)
        for i, col in enumerate(SCHEMA[name], start=1):
            cell = ws.cell(row=1, column=i, value=col.name)
            cell.font = bold
            letter = cell.column_letter
            ws.column_dimensions[letter].width = max(
                _WIDE_COLUMNS.get(col.name, 14), len(col.name) + 4
            )
            if col.name in _TEXT_COLUMNS:
                ws.column_dimensions[letter].number_format = "@"
            choices = {
                "role": "required,optional",
                "region": "noord,midden,zuid",
                "order": "yes,no",
                "hard": "yes,no",
            }
            if col.name in choices:
                dv = DataValidation(
                    type="list", formula1=f'"{choices[col.name]}"', allow_blank=True
                )
                dv.add(f"{letter}2:{letter}1000")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    ws = wb.create_sheet("settings")
    ws.append(["key", "value"])
    for c in ws[1]:
        c.font = bold
    defaults = settings_defaults()
    for key in SETTINGS_KEYS:
        if not key.startswith("weight_"):
            ws.append([key, defaults[key]])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["B"].number_format = "@"
    ws.freeze_panes = "A2"
    _write_explanation(wb.create_sheet("uitleg"), bold, Alignment(wrap_text=True, vertical="top"))
    if first is not None:
        wb.remove(first)
    # built in memory, then written through a temporary file: a full disk leaves no
    # half-written workbook (and no zip file left open to complain when collected)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    atomic_file(path, lambda tmp: tmp.write_bytes(data))


def _write_explanation(ws: Any, bold: Any, wrap: Any) -> None:
    ws.append(["Uitleg bij dit invoerbestand voor dakpan"])
    ws["A1"].font = bold
    ws.append(
        [
            "Vul de bladen networks, people, memberships en venues in (verplicht); fixed, "
            "travel en together mogen leeg blijven. Vul op blad settings in elk geval start en "
            "end in. "
            "Kolomnamen niet wijzigen; een lege cel betekent: de standaardwaarde. "
            "Geef bij people en venues de plaats (place, bijv. Goes of 'Hengelo, Overijssel'); "
            "coördinaten (lat, lon) zijn alleen nodig voor een adres buiten de bebouwde kom of "
            "een plaats die dakpan niet kent. "
            "Controleer daarna met: dakpan validate <dit bestand>."
        ]
    )
    ws.merge_cells("A2:F2")
    ws["A2"].alignment = wrap
    ws.row_dimensions[2].height = 48
    ws.append([])
    header = ["blad", "kolom", "verplicht", "betekenis", "standaard", "voorbeeld"]
    ws.append(header)
    for c in ws[ws.max_row]:
        c.font = bold
    for name in TABLES:
        needed = "ja" if name in REQUIRED_TABLES else "nee"
        ws.append([name, "", needed, SHEET_HELP[name], "", ""])
        for col in SCHEMA[name]:
            meaning, default, example = COLUMN_HELP[name, col.name]
            ws.append([name, col.name, "ja" if col.required else "nee", meaning, default, example])
    defaults = settings_defaults()
    ws.append(["settings", "", "ja", SHEET_HELP["settings"], "", ""])
    examples = {"start": "2027-08-30", "end": "2028-07-14"}
    for key in SETTINGS_KEYS:
        required = key in ("start", "end")
        ws.append(
            [
                "settings",
                key,
                "ja" if required else "nee",
                SETTING_HELP[key],
                defaults[key],
                examples.get(key, ""),
            ]
        )
    for row in ws.iter_rows(min_row=5):
        for c in row:
            c.alignment = wrap
    for letter, width in zip("ABCDEF", (14, 22, 10, 70, 24, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
