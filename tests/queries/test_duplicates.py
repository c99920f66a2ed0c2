"""Probable duplicates: tiny graphs whose pairs are known, each scored and explained.

The graph (Lille and Roubaix)::

    org:fdl     Fondation de Lille       fondation  Lille    SIREN 123456789
    org:fl      Fondation Lille          fondation  Lille
    org:fr      Fondation Roubaix        fondation  Roubaix
    org:cdl     Comité de Lille          association Lille   SIREN 123456789 (the same:
                                                              certain, whatever the name)
    org:a1 / org:a2  Atelier Vélo        association  SIRENs 111111111 / 222222222 (two
                                                      organisations of one name: never)
"""

from __future__ import annotations

import json

import pytest

from loaders.duplicate_decisions import dismiss
from loaders.merge import MergeNotFound, MergeRefused, merge
from queries.duplicates import DuplicateSide, duplicates, find_pairs
from queries.errors import InvalidParameter
from tests.territory_fixtures import create_territories

GRAPH = """
MATCH (lille:Commune {id: 'commune:59350'}), (roubaix:Commune {id: 'commune:59512'})
CREATE (fdl:Organisation {id: 'org:fdl', name: 'Fondation de Lille',
        name_key: 'fondation_de_lille', kind: 'fondation', siren: '123456789'})
CREATE (fl:Organisation {id: 'org:fl', name: 'Fondation Lille', name_key: 'fondation_lille',
        kind: 'fondation'})
CREATE (fr:Organisation {id: 'org:fr', name: 'Fondation Roubaix',
        name_key: 'fondation_roubaix', kind: 'fondation'})
CREATE (cdl:Organisation {id: 'org:cdl', name: 'Comité de Lille', name_key: 'comite_de_lille',
        kind: 'association', siren: '123456789'})
CREATE (:Organisation {id: 'org:a1', name: 'Atelier Vélo', name_key: 'atelier_velo',
        kind: 'association', siren: '111111111'})
CREATE (:Organisation {id: 'org:a2', name: 'Atelier Vélo', name_key: 'atelier_velo',
        kind: 'association', siren: '222222222'})
CREATE (fdl)-[:LOCATED_IN]->(lille), (fl)-[:LOCATED_IN]->(lille), (cdl)-[:LOCATED_IN]->(lille),
       (fr)-[:LOCATED_IN]->(roubaix)
"""


@pytest.fixture
def orgs(db):
    create_territories(db, ("FR", "region:32", "departement:59", "commune:59512",
                            "commune:59350"))
    db.execute_query(GRAPH)
    return db


def _pairs(page) -> dict[frozenset, object]:
    return {frozenset((p.a.id, p.b.id)): p for p in page.items}


def test_known_pairs_scored_and_explained(orgs):
    page = duplicates(orgs, min_score=0.5)
    pairs = _pairs(page)
    # the same SIREN: certain, whatever the names
    siren = pairs[frozenset(("org:cdl", "org:fdl"))]
    assert (siren.score, siren.certain) == (1.0, True)
    assert siren.explanation.startswith("même SIREN 123456789 ; ")
    # the same words once normalised, in the same commune, of the same kind
    close = pairs[frozenset(("org:fdl", "org:fl"))]
    assert close.explanation == ("mêmes mots dans le nom : « Fondation de Lille » / "
                                 "« Fondation Lille » ; même commune : Lille ; même type : "
                                 "fondation")
    assert close.score == 0.95 and not close.certain
    # one common word, and a common one: not a duplicate
    assert frozenset(("org:fl", "org:fr")) not in pairs
    assert frozenset(("org:fdl", "org:fr")) not in pairs
    # one name, two SIRENs: two organisations, never proposed
    assert frozenset(("org:a1", "org:a2")) not in pairs
    # best first
    assert [p.score for p in page.items] == sorted((p.score for p in page.items), reverse=True)
    assert page.items[0].certain
    # the default minimum keeps both, a higher one only the certain pair
    assert page.total == 2 and duplicates(orgs).total == 2
    assert duplicates(orgs, min_score=0.99).total == 1


def test_dismissed_or_merged_pairs_are_not_proposed_again(orgs):
    assert duplicates(orgs).total == 2
    done = dismiss(orgs, "org:fl", "org:fdl", by="Camille")
    assert (done.a, done.b, done.new) == ("org:fdl", "org:fl", True)
    assert dismiss(orgs, "org:fdl", "org:fl").new is False
    assert _pairs(duplicates(orgs)).keys() == {frozenset(("org:cdl", "org:fdl"))}
    merge(orgs, "org:fdl", "org:cdl")
    assert duplicates(orgs).total == 0
    with pytest.raises(MergeRefused):
        dismiss(orgs, "org:fl", "org:fl")
    with pytest.raises(MergeNotFound):
        dismiss(orgs, "org:fl", "org:nobody")


def test_pages_and_parameters(orgs):
    first = duplicates(orgs, limit=1)
    second = duplicates(orgs, limit=1, offset=1)
    assert (first.total, second.total, len(first.items), len(second.items)) == (2, 2, 1, 1)
    assert first.items[0] != second.items[0]
    with pytest.raises(InvalidParameter):
        duplicates(orgs, min_score=1.5)
    with pytest.raises(InvalidParameter):
        duplicates(orgs, limit=-1)


def _side(i: int, name: str, commune: str | None = "commune:59350", kind="association"):
    return DuplicateSide(id=f"org:{i}", name=name, kind=kind, commune=commune,
                         commune_name="Lille" if commune else None)


def test_blocking_keeps_typos_and_leaves_common_words():
    # sixty foundations elsewhere: « fondation » is too common a word to make a block
    # (MAX_BLOCK), yet a typo in Lille's rare word is found through it within the commune
    sides = [_side(i, f"Fondation Thème{i:02d}x", commune=f"commune:{i}") for i in range(60)]
    sides += [_side(100, "Fondation Lile"), _side(101, "Fondation Lille"),
              _side(102, "Fondation Emploi Lille"), _side(103, "Fondation Réemploi Lille")]
    pairs = {frozenset((p.a.id, p.b.id)): p for p in find_pairs(sides, min_score=0.7)}
    assert frozenset(("org:100", "org:101")) in pairs
    typo = pairs[frozenset(("org:100", "org:101"))]
    assert "noms proches" in typo.explanation and "« Fondation Lile »" in typo.explanation
    # « réemploi » is not « emploi »: a word each lacks, not a typo
    assert frozenset(("org:102", "org:103")) not in pairs
    assert all(p.a.id.startswith("org:10") for p in pairs.values())


def test_the_commands(orgs):
    from typer.testing import CliRunner

    from cli.main import app

    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, ["duplicates", *args])
        assert result.exit_code == code, result.output
        return " ".join(result.output.split())

    listed = run()
    assert "2 doublons probables" in listed and "même SIREN 123456789" in listed
    data = json.loads(runner.invoke(app, ["duplicates", "--json", "--limit", "1"]).output)
    assert (data["total"], len(data["items"])) == (2, 1)
    merged = run("merge", "org:fdl", "org:fl", "--by", "Camille")
    assert ("« Fondation Lille » fusionnée dans « Fondation de Lille » : 1 lien commun "
            "fusionné ; 1 nouvel alias : « Fondation Lille ».") in merged
    merge_id = merged.split("Fusion ")[1].split(" ")[0]
    assert "elle-même" in run("merge", "org:fdl", "org:fdl", code=1)
    assert "déjà été fusionnée" in run("merge", "org:fdl", "org:fl", code=1)
    assert "1 doublon probable" in run()
    assert f"Fusion {merge_id} annulée : « org:fl » est de retour avec 1 lien." in run(
        "undo", merge_id)
    assert "pas un doublon ; la paire ne sera plus proposée." in run("dismiss", "org:fl",
                                                                      "org:fdl")
    assert "(c'était déjà noté)." in run("dismiss", "org:fdl", "org:fl")
    assert "1 doublon probable" in run()
    assert ("1 doublon probable (score d'au moins 100 %) : aucun à partir du 2e."
            in run("--min-score", "1", "--offset", "1"))
    run("dismiss", "org:cdl", "org:fdl")
    assert "Aucun doublon probable (score d'au moins 100 %)." in run("--min-score", "1")
