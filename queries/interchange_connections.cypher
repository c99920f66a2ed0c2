// question: every connection from an element, for interchange files
// parameters: $skip (bookkeeping labels and types: graph/bookkeeping.py), $as_of (DateTime
//   or null: now)
// returns: one row per relationship whose start is not a territory: [type, from id,
//   to id, properties, the labels of its end], streamed; only what is alive (the
//   relationship and both its ends)
MATCH (a)-[r]->(b)
WHERE NOT a:Territory AND NOT type(r) IN $skip
  AND none(label IN labels(a) WHERE label IN $skip)
  AND none(label IN labels(b) WHERE label IN $skip)
  AND {{alive r}} AND {{alive a}} AND {{alive b}}
RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS properties,
       labels(b) AS to_labels
