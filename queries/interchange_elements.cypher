// question: every element, for interchange files (`alliance-graph export DIR`)
// parameters: $skip (bookkeeping labels: graph/bookkeeping.py), $as_of (DateTime or null:
//   now)
// returns: one row per node that is not a territory: [labels, properties], streamed; only
//   the elements alive
MATCH (n)
WHERE NOT n:Territory AND none(label IN labels(n) WHERE label IN $skip) AND {{alive n}}
RETURN labels(n) AS labels, properties(n) AS properties
