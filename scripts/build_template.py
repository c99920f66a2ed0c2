"""Build ``data/template.xlsx``, the import template (``python scripts/build_template.py``).

Sheets: ``lisez-moi`` (how to fill it, in French and English), ``elements``,
``connections``, ``inventaire`` (examples that load as they are) and ``vocabulaire``
(the accepted types, kinds, roles and relationships, from graph/vocabulary.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.vocabulary import (  # noqa: E402
    ELEMENT_TYPES,
    LABELS_BY_NAME,
    ORGANISATION_KINDS,
    PROGRAMME_PHASES,
    RELATIONSHIPS,
    ROLE_ALIASES,
)

ELEMENTS = [
    ["id", "type", "name", "kind", "roles", "territory", "lat", "lon", "description", "url",
     "tags", "start", "end", "source", "siren", "rna"],
    ["org:le-rameau", "Organisation", "Le RAMEAU", "recherche", "", "FR", "", "",
     "Laboratoire de recherche empirique sur les alliances", "https://www.lerameau.fr/",
     "alliances; co-construction", "", "", "communiqué du 23/06/2020", "", ""],
    ["", "Organisation", "Médiateur des entreprises", "etat", "", "FR", "", "", "", "", "",
     "", "", "communiqué du 23/06/2020", "", ""],
    ["", "Organisation", "Caisse des Dépôts", "investisseur", "relais", "FR", "", "", "", "",
     "", "", "", "bilan de la démarche", "180020026", ""],
    ["", "Catalyseur", "Maison de l'initiative de Roubaix", "association", "", "59512",
     "50.6942", "3.1746", "", "", "inclusion numérique", "", "", "exemple", "", ""],
    ["programme:anticiper-la-sortie-de-crise", "Programme d'urgence",
     "Anticiper la sortie de crise", "urgence", "", "FR", "", "", "", "", "", "20/03/2020",
     "30/09/2020", "communiqué du 23/06/2020", "", ""],
    ["", "Besoin", "Trésorerie des associations", "financement", "", "", "", "", "", "",
     "financement", "", "", "exemple", "", ""],
    ["", "Espace de dialogue", "Articulation des ingénieries territoriales & nationales",
     "", "", "", "", "", "21 organisations mobilisées", "", "", "", "", "exemple", "", ""],
]

CONNECTIONS = [
    ["from", "to", "type", "role", "date", "source"],
    ["Le RAMEAU", "programme:anticiper-la-sortie-de-crise", "porte", "copilote", "20/03/2020",
     "communiqué du 23/06/2020"],
    ["Médiateur des entreprises", "Anticiper la sortie de crise", "CARRIES", "copilote",
     "2020-03-20", "communiqué du 23/06/2020"],
    ["Anticiper la sortie de crise", "Trésorerie des associations", "répond à", "", "",
     "exemple"],
    ["CDC", "Articulation des ingénieries territoriales & nationales", "participe à", "membre",
     "", "exemple"],
    ["Le RAMEAU", "Médiateur des entreprises", "partenaire", "", "", "exemple"],
    ["Anticiper la sortie de crise", "region:32", "couvre", "", "", "exemple"],
]

INVENTAIRE = [
    ["type", "titre", "porteur", "partenaires", "territoire", "public", "thématique", "date",
     "lien"],
    ["Programme de relance", "Fonds de relance associatif (exemple)", "Le RAMEAU",
     "Caisse des Dépôts; Médiateur des entreprises", "59", "associations",
     "financement; emploi", "15/07/2020", "https://www.lerameau.fr/"],
    ["Besoin", "Accès au numérique des petites associations", "Le RAMEAU", "", "FR",
     "associations", "numérique", "2020-05-01", ""],
]

README = [
    ["Alliance Graph — modèle d'import / import template"],
    [""],
    ["FR : remplissez la feuille « elements » (un élément par ligne) et la feuille "
     "« connections » (un lien par ligne), ou la feuille plate « inventaire »."],
    ["FR : une erreur dans le fichier et rien n'est écrit ; le rapport donne fichier, ligne, "
     "colonne, valeur et raison. `alliance-graph load modele.xlsx --dry-run` vérifie seulement."],
    ["EN: fill the 'elements' sheet (one element per row) and the 'connections' sheet (one "
     "connection per row), or the flat 'inventaire' sheet."],
    ["EN: headers may be French or English (nom/name, territoire/territory, de/from, à/to…); "
     "values too (Besoin, Programme de relance, catalyseur, finance…)."],
    ["Territoire : code INSEE (commune 59512, département 59, EPCI par son SIREN), "
     "region:32 pour une région, FR, un code postal (59100), ou un nom (Roubaix, "
     "Saint-Denis (93), PACA). Un nom ou un code qui peut désigner plusieurs territoires est "
     "signalé : le rapport d'import dit comment il a été lu, ou refuse la ligne s'il n'y a "
     "pas de lecture par défaut."],
    ["EN: territory: an INSEE code (commune 59512, département 59, EPCI SIREN), region:32, "
     "FR, a postal code, or a name; a reference with several readings is reported in the "
     "import report, or refused when it has no default reading."],
    ["Dates: 2020-03-31 or 31/03/2020. No formulas (=…): type values. Names are plain text."],
    ["The 'vocabulaire' sheet lists every accepted type, kind, role and relationship."],
]


def _vocabulary_rows() -> list[list[str]]:
    rows = [["liste / list", "valeur / value", "alias (FR/EN)"]]
    for label in ELEMENT_TYPES:
        rows.append(["type", label, ", ".join(LABELS_BY_NAME[label].aliases)])
    for kind in ORGANISATION_KINDS:
        rows.append(["kind (Organisation)", kind, ""])
    for phase in PROGRAMME_PHASES:
        rows.append(["kind (Programme)", phase, ""])
    for role, aliases in ROLE_ALIASES.items():
        rows.append(["roles", role, ", ".join(aliases)])
    for rel in RELATIONSHIPS:
        if rel.name != "PART_OF":
            rows.append([f"connection ({'/'.join(rel.sources)} → {'/'.join(rel.targets)})",
                         rel.name, ", ".join(rel.aliases)])
    return rows


def build(path: Path) -> Path:
    """Write the template workbook to ``path``."""
    wb = Workbook()
    sheets = [("lisez-moi", README), ("elements", ELEMENTS), ("connections", CONNECTIONS),
              ("inventaire", INVENTAIRE), ("vocabulaire", _vocabulary_rows())]
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title != "lisez-moi":
            for cell in ws[1]:
                cell.font, cell.fill = bold, fill
            ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


if __name__ == "__main__":
    out = build(ROOT / "data" / "template.xlsx")
    print(f"wrote {out}")
