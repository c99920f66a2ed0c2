// question: which pairs of organisations did stewards say are not duplicates
// parameters: none
// returns: one row per decision: a, b (the two ids, a < b), by, at
// Few such nodes (one a steward's decision): read whole.
MATCH (d:DuplicateDecision)
RETURN d.a AS a, d.b AS b, d.by AS by, d.at AS at
