// question: how many living organisations is each organisation, need, programme and
//   dialogue space linked to (by any living relationship, either way) — the degrees the
//   suggestions' score reads (Adamic–Adar's divisor, a candidate's popularity), counted
//   once per version of the graph (queries/link_counts.py) rather than at every question
// parameters: none ($as_of: graph/bookkeeping.py)
// returns: one row per node linked to at least one living organisation: [id, n]
MATCH (o:Organisation)-[q]-(x)
WHERE (x:Organisation OR x:Need OR x:Programme OR x:DialogueSpace)
  AND {{alive q}} AND {{alive o}}
WITH x, count(DISTINCT o) AS n
RETURN x.id AS id, n
