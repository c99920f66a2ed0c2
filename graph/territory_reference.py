"""Territory references as people write them: the one parser of the product.

Every entry point — the loaders (territory cells), the questions and the API (a
``territory`` or ``commune`` parameter), the CLI and the pages — calls :func:`parse_territory`
and follows the same rule on what it returns. It needs no database: it reads the
reference table of ``data/`` (:mod:`graph.territory_table`).

What it reads:

- ids and prefixed codes: ``FR``, ``region:32``/``reg:32``, ``departement:59``/``dep:59``,
  ``epci:200093201``, ``commune:59512``;
- ``France``, ``national``, ``France entière``;
- bare codes: 2 or 3 characters a **département** (``59``, ``2A``, ``974``; ``1`` →
  ``01``), 5 an INSEE commune code (a 4-digit one gets back the leading zero a spreadsheet
  dropped), 9 digits an EPCI (SIREN); a postal code;
- names, case, accents, hyphens and apostrophes ignored, ``St``/``Ste`` for ``Saint``/
  ``Sainte``, a leading article optional (``Havre``), a département in brackets
  (``Saint-Denis (974)``); région acronyms and usual EPCI names (``PACA``, ``MEL``); former
  communes (``Annecy-le-Vieux``) and arrondissements (``Paris 11e``, code ``75111``) read as
  their commune, with a notice.

The rule (the same everywhere):

- ``status == "found"``: one reading; take it.
- ``status == "default"``: a default reading (:attr:`TerritoryReading.taken`) following
  French usage — two or three characters are a département (not the région of the same
  code), five digits an INSEE code (not the commune whose postal code it is), a département
  or région name its territory (not a commune of that name) — and other readings
  (:attr:`TerritoryReading.others`). The API, the CLI and the loaders take the default and
  report the others; the pages ask.
- ``status == "ambiguous"``: no default (several communes share the name, a postal code
  serves several communes); everyone asks back with :attr:`TerritoryReading.candidates`.
- ``status == "unknown"``: nothing of that name or code; :attr:`TerritoryReading.suggestions`
  holds the three nearest names (never taken).
- ``status == "uncovered"``: a collectivité d'outre-mer, which the reference does not
  cover.
- ``status == "empty"``: nothing was written.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from graph.territory_table import Territory, TerritoryTable, get_table, name_key
from graph.vocabulary import KIND_FR, LEVELS

Status = Literal["found", "default", "ambiguous", "unknown", "uncovered", "empty"]
#: how a reading was found
Via = Literal["id", "code", "postal_code", "name", "nickname", "former_name",
              "former_code", "arrondissement", "suggestion"]

_PREFIXES = {
    "commune": "commune", "com": "commune", "epci": "epci", "departement": "departement",
    "dep": "departement", "dept": "departement", "department": "departement",
    "region": "region", "reg": "region", "country": "country", "pays": "country",
}
_NATIONAL = {"fr", "france", "national", "nationale", "france entiere", "pays",
             "niveau national", "toute france", "toute la france", "metropole et outre mer"}
_QUALIFIED = re.compile(r"^(.*?)[\s,]*\(\s*([^()]+?)\s*\)$")
# the larger the territory, the higher (commune 0 … country 4)
_LEVEL_RANK = {level: rank for rank, level in enumerate(reversed(LEVELS))}
_LEVEL_FR = {level: KIND_FR[level].lower() for level in LEVELS}
_VIA_FR = {"code": "code INSEE", "postal_code": "code postal", "id": "code",
           "former_code": "code INSEE", "arrondissement": "arrondissement"}
#: how many near misses an unknown name gets
SUGGESTIONS = 3


class TerritoryCandidate(BaseModel):
    """One reading of a reference: a territory of the graph and how it was found."""

    id: str = Field(examples=["commune:59512"])
    level: str = Field(examples=["commune"])
    code: str = Field(examples=["59512"])
    name: str = Field(examples=["Roubaix"])
    #: département code(s) it is in (communes, EPCI) or its own (a département)
    departements: list[str] = Field(default_factory=list, examples=[["59"]])
    population: int = 0
    via: Via = Field(examples=["postal_code"])
    #: how the reading is shown to people, in French
    label: str = Field(examples=["Roubaix (code postal 59100)"])
    #: a French notice when the reference names something else than a current territory
    #: (a former commune, an arrondissement)
    notice: str | None = None


class TerritoryReading(BaseModel):
    """What a territory reference reads as: the reading taken, and every other one."""

    text: str
    status: Status
    #: the reading taken (``found``, ``default``), else None
    taken: TerritoryCandidate | None = None
    #: every reading, the taken one first (``ambiguous``: the choices)
    candidates: list[TerritoryCandidate] = Field(default_factory=list)
    #: near misses of an unknown reference, nearest first; never taken
    suggestions: list[TerritoryCandidate] = Field(default_factory=list)
    #: a note for people who read French (a notice, or why nothing was taken)
    message_fr: str = ""
    #: the same in English, for the API, the CLI and logs
    message: str = ""

    @property
    def others(self) -> list[TerritoryCandidate]:
        """The readings not taken."""
        return [c for c in self.candidates if self.taken is None or c.id != self.taken.id]

    @property
    def kind(self) -> str | None:
        """How the taken reading was found: ``code``, ``postal_code``, ``name``…"""
        return self.taken.via if self.taken else None

    @property
    def question_fr(self) -> str | None:
        """The question the pages ask before answering: "Roubaix (code postal 59100) ou
        Bousignies (code INSEE 59100) ?"; None when there is nothing to ask."""
        if self.status not in ("default", "ambiguous") or len(self.candidates) < 2:
            return None
        return join_fr([c.label for c in self.candidates]) + " ?"


# ---------------------------------------------------------------- candidates


def _context_fr(t: Territory, table: TerritoryTable) -> str:
    """Where a territory is, in French: "Nord, 59" for a commune."""
    if t.level in ("commune", "epci") and t.departements:
        deps = t.departements
        if len(deps) == 1:
            return f"{table.departement_name(deps[0])}, {deps[0]}"
        return "départements " + ", ".join(deps)
    if t.level == "departement":
        return f"département, {t.code}"
    if t.level == "region":
        return "région"
    return ""


def _candidate(t: Territory, via: str, table: TerritoryTable, *, written: str | None = None,
               asked: str | None = None, notice: str | None = None) -> TerritoryCandidate:
    if via in ("code", "postal_code", "former_code") and asked:
        label = f"{t.name} ({_VIA_FR[via]} {asked})"
    elif t.level == "country":
        label = t.name
    elif via == "former_name" and written:
        # say why the commune answers: the text matched one of its former communes
        label = f"{t.name} ({_context_fr(t, table)} ; ancienne commune : {written})"
    else:
        label = f"{t.name} ({_context_fr(t, table)})"
    if via == "former_name" and written:
        notice = notice or (f"{written} est une ancienne commune, aujourd'hui rattachée à "
                            f"{t.name} ({t.code}) : lue comme {t.name}.")
    if via == "arrondissement" and written:
        written = written.replace(" Arrondissement", " arrondissement")
        notice = notice or (f"{written} fait partie de la commune de {t.name} ({t.code}), "
                            "que le référentiel compte comme une seule commune : lue comme "
                            f"{t.name}.")
    return TerritoryCandidate(
        id=t.id, level=t.level, code=t.code, name=t.name, departements=list(t.departements),
        population=t.population, via=via, label=label, notice=notice)


def join_fr(items: list[str], last: str = "ou") -> str:
    """``["a", "b", "c"]`` → ``"a, b ou c"``."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _english_label(c: TerritoryCandidate) -> str:
    return f"{c.id} ({c.name})"


# ---------------------------------------------------------------- readings


def _reading(text: str, status: Status, candidates: list[TerritoryCandidate], *,
             taken: TerritoryCandidate | None = None,
             suggestions: list[TerritoryCandidate] | None = None,
             message_fr: str = "", message: str = "") -> TerritoryReading:
    if taken is not None:
        candidates = [taken] + [c for c in candidates if c.id != taken.id]
    if not message_fr:
        message_fr, message = _messages(text, status, taken, candidates, suggestions or [])
    return TerritoryReading(text=text, status=status, taken=taken, candidates=candidates,
                            suggestions=suggestions or [], message_fr=message_fr,
                            message=message)


def _messages(text: str, status: Status, taken: TerritoryCandidate | None,
              candidates: list[TerritoryCandidate],
              suggestions: list[TerritoryCandidate]) -> tuple[str, str]:
    shown = f"« {text} »"
    if status == "found" and taken is not None:
        return taken.notice or "", (f"{text!r} read as {_english_label(taken)}"
                                    if taken.notice else "")
    if status == "default" and taken is not None:
        others = [c for c in candidates if c.id != taken.id]
        fr = (f"{shown} est lu comme {taken.label} ; peut aussi désigner "
              + join_fr([c.label for c in others]) + ".")
        if taken.notice:
            fr = f"{taken.notice} {fr}"
        en = (f"{text!r} read as {_english_label(taken)}; it may also mean "
              + ", ".join(_english_label(c) for c in others))
        return fr, en
    if status == "ambiguous":
        labels = " ; ".join(c.label for c in candidates)
        listed = ", ".join(_english_label(c) for c in candidates)
        if candidates and all(c.via == "postal_code" for c in candidates):
            fr = (f"Le code postal {text} dessert plusieurs communes : {labels}. Donnez le "
                  "nom de la commune ou son code INSEE.")
            en = (f"postal code {text!r} serves several communes: {listed}; give the commune's "
                  f"name or INSEE code (e.g. {candidates[0].code})")
            return fr, en
        first = candidates[0] if candidates else None
        example = (f"{first.name} ({first.departements[0]})" if first and first.departements
                   else "Saint-Denis (93)")
        fr = (f"{shown} désigne plusieurs territoires : {labels}. Précisez le département "
              f"entre parenthèses, p. ex. « {example} », ou donnez le code INSEE.")
        en = (f"{text!r} is ambiguous: it may mean {listed}; give the INSEE code or the "
              f"département in brackets, e.g. '{example}'")
        return fr, en
    if status == "unknown":
        fr = f"{shown} : aucun territoire de ce nom ou de ce code dans le référentiel."
        en = f"no territory {text!r} in the reference"
        if suggestions:
            fr += " Vouliez-vous dire " + join_fr([s.label for s in suggestions]) + " ?"
            en += "; did you mean " + ", ".join(_english_label(s) for s in suggestions) + "?"
        else:
            fr += (" Donnez un code INSEE (commune 59512, département 59), un code postal ou "
                   "un nom.")
            en += "; give an INSEE code (commune 59512, département 59), a postal code or a name"
        return fr, en
    if status == "empty":
        return ("Aucun territoire indiqué : donnez un nom, un code postal ou un code INSEE.",
                "territory is empty; give a name, a postal code or an INSEE code")
    return "", ""


def _uncovered(text: str, name: str, code: str) -> TerritoryReading:
    fr = (f"« {text} » : {name} ({code}) est une collectivité d'outre-mer non couverte par le "
          "référentiel (il compte la métropole et les cinq départements d'outre-mer).")
    en = (f"{text!r} is {name} ({code}), a collectivité d'outre-mer that the territory "
          "reference does not cover (metropolitan France and the five overseas départements)")
    return _reading(text, "uncovered", [], message_fr=fr, message=en)


def parse_territory(text: str | None, table: TerritoryTable | None = None) -> TerritoryReading:
    """Read a territory reference as people write it.

    Parameters
    ----------
    text
        What the user wrote: a code, an id, a postal code or a name.
    table
        The reference; default the process's (:func:`graph.territory_table.get_table`).

    Returns
    -------
    TerritoryReading
        The status, the reading taken (if any), every reading, near misses, and a message
        in French and in English.

    Examples
    --------
    >>> parse_territory("59100").taken.name
    'Bousignies'
    >>> [c.name for c in parse_territory("59100").others]
    ['Roubaix']
    >>> parse_territory("Saint-Denis").status
    'ambiguous'
    >>> parse_territory("Saint-Denis (974)").taken.id
    'commune:97411'
    >>> parse_territory("32").taken.id, parse_territory("32").others[0].id
    ('departement:32', 'region:32')
    """
    table = table or get_table()
    raw = (text or "").strip()
    if not raw:
        return _reading("", "empty", [])
    if ":" in raw:
        prefix, _, code = raw.partition(":")
        level = _PREFIXES.get(name_key(prefix).replace(" ", ""))
        if level is not None:
            return _prefixed(raw, level, code.strip().upper(), table)
    key = name_key(raw)
    if key in _NATIONAL:
        return _reading(raw, "found", [], taken=_candidate(table.by_id["FR"], "name", table))
    compact = re.sub(r"[\s.]", "", raw).upper()
    if re.fullmatch(r"\d{9}", compact):
        return _prefixed(raw, "epci", compact, table)
    if re.fullmatch(r"\d{4}", compact):
        compact = "0" + compact
    if re.fullmatch(r"\d{5}|2[AB]\d{3}", compact):
        return _five(raw, compact, table)
    if re.fullmatch(r"\d{1,3}|2[AB]", compact):
        return _short(raw, compact, table)
    return _name(raw, table)


def _prefixed(raw: str, level: str, code: str, table: TerritoryTable) -> TerritoryReading:
    if level == "country" and name_key(code) in _NATIONAL:
        code = "FR"
    if level == "departement" and re.fullmatch(r"\d", code):
        code = "0" + code
    if level == "commune" and re.fullmatch(r"\d{4}", code):
        code = "0" + code
    tid = code if level == "country" else f"{level}:{code}"
    t = table.by_id.get(tid)
    if t is not None:
        return _reading(raw, "found", [], taken=_candidate(t, "id", table))
    if level == "commune":
        reading = _five(raw, code, table, postal=False)
        if reading.status != "unknown":
            return reading
    if code in table.com:
        return _uncovered(raw, table.com[code], code)
    if code in table.com_codes:
        name, com = table.com_codes[code]
        return _uncovered(raw, f"{name}, commune de {table.com[com]}", com)
    level_fr = _LEVEL_FR[level]
    fr = f"« {raw} » : aucun territoire ({level_fr}) de code {code} dans le référentiel."
    en = f"no {level} with code {code!r} in the territory reference"
    return _reading(raw, "unknown", [], message_fr=fr, message=en)


def _five(raw: str, code: str, table: TerritoryTable, *, postal: bool = True
          ) -> TerritoryReading:
    """Five characters: an INSEE commune code, else a postal code (both may hold)."""
    by_insee: TerritoryCandidate | None = None
    commune = table.by_id.get(f"commune:{code}")
    if commune is not None:
        by_insee = _candidate(commune, "code", table, asked=code)
    elif code in table.arrondissements:
        name, of = table.arrondissements[code]
        by_insee = _candidate(table.by_id[f"commune:{of}"], "arrondissement", table,
                              written=name)
    elif code in table.former_codes:
        name, of = table.former_codes[code]
        t = table.by_id[f"commune:{of}"]
        by_insee = _candidate(
            t, "former_code", table, asked=code,
            notice=(f"{code} est le code INSEE de {name}, ancienne commune aujourd'hui "
                    f"rattachée à {t.name} ({t.code}) : lu comme {t.name}."))
    by_postal: list[TerritoryCandidate] = []
    if postal:
        for insee in table.postal.get(code, ()):
            t = table.by_id[f"commune:{insee}"]
            if by_insee is None or t.id != by_insee.id:
                by_postal.append(_candidate(t, "postal_code", table, asked=code))
        by_postal.sort(key=lambda c: (-c.population, c.id))
    if by_insee is not None:
        return _reading(raw, "default" if by_postal else "found", by_postal, taken=by_insee)
    if len(by_postal) == 1:
        return _reading(raw, "found", [], taken=by_postal[0])
    if by_postal:  # the choices are all of that postal code: say where each is
        return _reading(raw, "ambiguous", [_candidate(table.by_id[c.id], "postal_code", table)
                                           for c in by_postal])
    if code in table.com_codes:
        name, com = table.com_codes[code]
        return _uncovered(raw, f"{name}, commune de {table.com[com]}", com)
    fr = (f"« {raw} » : aucune commune n'a ce code INSEE ni ce code postal dans le "
          "référentiel.")
    en = f"no commune has INSEE code or postal code {code!r} in the territory reference"
    return _reading(raw, "unknown", [], message_fr=fr, message=en)


def _short(raw: str, code: str, table: TerritoryTable) -> TerritoryReading:
    """Two or three characters: a département code, perhaps also a région's."""
    if len(code) == 1:
        code = "0" + code
    dep = table.by_id.get(f"departement:{code}")
    region = table.by_id.get(f"region:{code}")
    if dep is not None:
        others = [_candidate(region, "code", table, asked=code)] if region else []
        taken = _candidate(dep, "code", table, asked=code)
        taken = taken.model_copy(update={"label": f"{dep.name} (département {code})"})
        others = [o.model_copy(update={"label": f"{o.name} (région {code})"}) for o in others]
        return _reading(raw, "default" if others else "found", others, taken=taken)
    if region is not None:
        taken = _candidate(region, "code", table, asked=code)
        return _reading(raw, "found", [], taken=taken.model_copy(
            update={"label": f"{region.name} (région {code})"}))
    if code == "20":  # Corsica's département code until 1976
        choices = [_candidate(table.by_id[f"departement:{c}"], "code", table, asked=c)
                   for c in ("2A", "2B")]
        choices = [c.model_copy(update={"label": f"{c.name} (département {c.code})"})
                   for c in choices]
        fr = ("« 20 » était le code de la Corse jusqu'en 1976 : Corse-du-Sud (2A) ou "
              "Haute-Corse (2B) ? La région Corse a le code region:94.")
        en = "'20' was Corsica's code until 1976: give 2A (Corse-du-Sud) or 2B (Haute-Corse)"
        return _reading(raw, "ambiguous", choices, message_fr=fr, message=en)
    if code in table.com:
        return _uncovered(raw, table.com[code], code)
    fr = f"« {raw} » : aucun département ni aucune région n'a ce code."
    en = f"no département or région has code {code!r}"
    return _reading(raw, "unknown", [], message_fr=fr, message=en)


def _qualifier_deps(qualifier: str, table: TerritoryTable) -> set[str] | None:
    """The département codes a bracket names: ``(93)``, ``(2A)``, ``(Réunion)``; for an
    INSEE or postal code in brackets (``Roubaix (59512)``, ``Roubaix (59100)``), the
    département of the communes it may mean."""
    q = qualifier.strip().upper()
    if re.fullmatch(r"\d{1,3}|2[AB]", q):
        return {q.zfill(2)}
    if re.fullmatch(r"\d{5}|2[AB]\d{3}", q):
        return {d for cid in _communes_of_code(q, table)
                for d in table.by_id[cid].departements} or None
    key = name_key(qualifier)
    found: set[str] = set()
    for e in table.by_key.get(key, []):
        t = table.by_id[e.territory_id]
        if t.level == "departement":
            found.add(t.code)
        elif t.level == "region":
            found.update(table.region_departements.get(t.code, ()))
    return found or None


def _communes_of_code(code: str, table: TerritoryTable) -> set[str]:
    """Ids of the communes an INSEE or postal code may mean."""
    ids = {f"commune:{c}" for c in table.postal.get(code, ())}
    if f"commune:{code}" in table.by_id:
        ids.add(f"commune:{code}")
    if code in table.arrondissements:
        ids.add(f"commune:{table.arrondissements[code][1]}")
    if code in table.former_codes:
        ids.add(f"commune:{table.former_codes[code][1]}")
    return ids


def _same_area(a: Territory, b: Territory) -> bool:
    """Paris the commune and Paris the département: one inside the other, same people."""
    if a.population != b.population:
        return False
    small, big = sorted((a, b), key=lambda t: _LEVEL_RANK[t.level])
    if big.level == "departement":
        return big.code in small.departements
    if big.level == "region":
        return big.code in small.regions
    return False


def _name(raw: str, table: TerritoryTable) -> TerritoryReading:
    text, deps, code_ids = raw, None, None
    if m := _QUALIFIED.match(raw):
        deps = _qualifier_deps(m[2], table)
        if deps is not None:
            text = m[1]
            q = m[2].strip().upper()
            if re.fullmatch(r"\d{5}|2[AB]\d{3}", q):
                code_ids = _communes_of_code(q, table)
    key = name_key(text)
    entries = table.by_key.get(key, [])
    if code_ids is not None:
        entries = [e for e in entries if e.territory_id in code_ids]
    elif deps is not None:
        entries = [e for e in entries if set(table.by_id[e.territory_id].departements) & deps
                   or (table.by_id[e.territory_id].level == "region"
                       and set(table.by_id[e.territory_id].regions) & deps)]
    if not entries:
        if deps is None and key in table.com_keys:
            name, com = table.com_keys[key]
            return _uncovered(raw, name, com)
        return _reading(raw, "unknown", [], suggestions=near_misses(text, table, deps=deps))
    current = [e for e in entries if e.via in ("name", "nickname")]
    secondary = [e for e in entries if e.via not in ("name", "nickname")]
    primary = current or secondary
    rest = secondary if current else []
    cands = {e.territory_id: _candidate(table.by_id[e.territory_id], e.via, table,
                                        written=e.written) for e in primary}
    extra = [_candidate(table.by_id[e.territory_id], e.via, table, written=e.written)
             for e in rest if e.territory_id not in cands]
    # Territories that are the same place (Paris the commune and the département) count
    # once: the smallest level stands for them.
    groups: list[list[TerritoryCandidate]] = []
    for c in sorted(cands.values(), key=lambda c: (_LEVEL_RANK[c.level], c.id)):
        t = table.by_id[c.id]
        for g in groups:
            if _same_area(table.by_id[g[0].id], t):
                g.append(c)
                break
        else:
            groups.append([c])
    heads = [g[0] for g in groups]
    if len(heads) == 1:
        return _reading(raw, "found" if not extra else "default", extra, taken=heads[0])
    top = max(_LEVEL_RANK[h.level] for h in heads)
    at_top = [h for h in heads if _LEVEL_RANK[h.level] == top]
    ordered = sorted(heads, key=lambda c: (-_LEVEL_RANK[c.level], -c.population, c.id))
    if top > _LEVEL_RANK["commune"] and len(at_top) == 1:
        # A département or région name is that territory first ("Vienne", "Mayenne"),
        # and the commune of that name another reading.
        return _reading(raw, "default", ordered[1:] + extra, taken=at_top[0])
    reading = _reading(raw, "ambiguous", ordered + extra)
    if deps is None and key in table.com_keys:  # Saint-Barthélemy, Saint-Martin
        name, com = table.com_keys[key]
        reading.message_fr += (f" ({name}, collectivité d'outre-mer {com}, n'est pas couverte "
                               "par le référentiel.)")
    return reading


def near_misses(text: str, table: TerritoryTable | None = None, *, limit: int = SUGGESTIONS,
                deps: set[str] | None = None) -> list[TerritoryCandidate]:
    """The territories whose name is nearest to ``text`` (edit distance), for "did you
    mean"; the more populous first among equally near ones."""
    from rapidfuzz import fuzz, process

    table = table or get_table()
    key = name_key(text)
    if len(key) < 2:
        return []
    found = process.extract(key, table.keys, scorer=fuzz.ratio, limit=40, score_cutoff=70)
    scored: dict[str, tuple[float, TerritoryCandidate]] = {}
    for k, score, _ in found:
        for e in table.by_key[k]:
            t = table.by_id[e.territory_id]
            if deps is not None and not set(t.departements) & deps:
                continue
            if e.territory_id not in scored or scored[e.territory_id][0] < score:
                scored[e.territory_id] = (score, _candidate(t, "suggestion", table,
                                                            written=e.written))
    ranked = sorted(scored.values(), key=lambda sc: (-round(sc[0]), -sc[1].population,
                                                     sc[1].id))
    return [c for _, c in ranked[:limit]]


def suggest(q: str, limit: int = 10, table: TerritoryTable | None = None
            ) -> list[TerritoryCandidate]:
    """Territories for an autocomplete box: names starting with what was typed (accents,
    ``St-``, articles and acronyms as in :func:`parse_territory`), postal and INSEE codes
    starting with it, the most populous first."""
    table = table or get_table()
    q = (q or "").strip()
    if not q:
        return []
    out: dict[str, tuple[tuple, TerritoryCandidate]] = {}

    def add(t: Territory, via: str, rank: int, **kw) -> None:
        c = _candidate(t, via, table, **kw)
        # Exact names first, then by population; an EPCI after the communes and the
        # départements, as its population is the sum of its communes'.
        order = (rank, t.level == "epci", -t.population)
        if t.id not in out or out[t.id][0] > order:
            out[t.id] = (order, c)

    compact = re.sub(r"\s", "", q).upper()
    if re.fullmatch(r"\d{1,5}|2[AB]\d{0,3}", compact):
        reading = parse_territory(compact, table) if len(compact) in (2, 3, 5) else None
        if reading is not None:
            for c in reading.candidates:
                add(table.by_id[c.id], c.via, 0, asked=compact)
        if len(compact) < 5:
            for cp in table.prefix(table.postal_codes, compact)[:200]:
                for insee in table.postal[cp]:
                    add(table.by_id[f"commune:{insee}"], "postal_code", 2, asked=cp)
    else:
        key = name_key(q)
        if key:
            for k in table.prefix(table.keys, key)[:2000]:
                exact = k == key
                for e in table.by_key[k]:
                    # a commune's own name before one of its former communes' ("rou":
                    # Rouen and Roubaix before Le Havre, which absorbed Rouelles)
                    rank = 0 if exact else 2 if e.via == "former_name" else 1
                    add(table.by_id[e.territory_id], e.via, rank, written=e.written)
    ranked = sorted(out.values(), key=lambda oc: oc[0])
    return [c for _, c in ranked[:limit]]
