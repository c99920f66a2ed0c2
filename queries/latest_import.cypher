// question: when were the data last imported — the date every picture shows ("Données du …")
// parameters: $as_of (DateTime or null: now)
// returns: zero or one row: at (the latest `at` of the (:Import {at: datetime}) nodes that
//   each import records; as of a past instant, the latest import then)
// Few Import nodes exist (one an import): a label scan is enough.
MATCH (i:Import)
WHERE i.at IS NOT NULL AND ($as_of IS NULL OR i.at <= $as_of)
RETURN i.at AS at
ORDER BY at DESC
LIMIT 1
