// question: which elements and territories have a name (or known alias) like this text —
//   full text, accents and case ignored, best match first
// parameters: $index (the full-text index name), $lucene (the Lucene query built from the
//   user's text, special characters escaped), $labels (list of labels or null), $limit,
//   $offset, $as_of (DateTime or null: now)
// returns: one row: total and items [{id, name, kind, labels, score}]
// The index holds retired elements too: they are dropped here, before the count.
CALL db.index.fulltext.queryNodes($index, $lucene) YIELD node, score
WHERE ($labels IS NULL OR any(l IN labels(node) WHERE l IN $labels)) AND {{alive node}}
WITH node, score ORDER BY score DESC, node.name, node.id
WITH collect({id: node.id, name: node.name, kind: node.kind, labels: labels(node),
              score: score}) AS hits
RETURN size(hits) AS total, hits[$offset..$offset + $limit] AS items
