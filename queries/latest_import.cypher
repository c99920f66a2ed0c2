// question: when were the data last imported — the date every picture shows ("Données du …")
// parameters: none
// returns: zero or one row: at (the latest `at` of the (:Import {at: datetime}) nodes that
//   each import records)
// Few Import nodes exist (one an import): a label scan is enough.
MATCH (i:Import)
WHERE i.at IS NOT NULL
RETURN i.at AS at
ORDER BY at DESC
LIMIT 1
