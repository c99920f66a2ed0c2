// question: every element, for interchange files (`alliance-graph export DIR`)
// parameters: $skip (bookkeeping labels: graph/bookkeeping.py)
// returns: one row per node that is not a territory: [labels, properties], streamed
MATCH (n)
WHERE NOT n:Territory AND none(label IN labels(n) WHERE label IN $skip)
RETURN labels(n) AS labels, properties(n) AS properties
