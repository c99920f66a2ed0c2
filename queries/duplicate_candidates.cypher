// question: which organisations may be duplicates of one another — every organisation in
//   the inventory now, with what the duplicates finder compares
// parameters: none
// returns: one row per organisation alive (neither retired nor merged): id, name,
//   name_key, kind, siren, rna, commune (the id of its first commune by id, or null) and
//   commune_name
// One read of every organisation (100k rows: about a second); the blocking and the
// scoring are done in Python (queries/duplicates.py), where rapidfuzz compares names.
MATCH (o:Organisation)
WHERE o.retired_at IS NULL AND o.merged_into IS NULL
WITH o, head(COLLECT { MATCH (o)-[r:LOCATED_IN]->(c:Commune)
                       WHERE r.retired_at IS NULL RETURN c ORDER BY c.id }) AS c
RETURN o.id AS id, o.name AS name, o.name_key AS name_key, o.kind AS kind,
       o.siren AS siren, o.rna AS rna, c.id AS commune, c.name AS commune_name
