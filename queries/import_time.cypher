// question: when did an import happen — the instant an `as_of` given as an import id
//   stands for (graph/as_of.py)
// parameters: $id (an import id, imp-…)
// returns: at most one row: at (the import's `at`, a DateTime)
// Few Import nodes exist (one an import): a label scan at worst. Bookkeeping, not a fact:
// no rule of when a fact exists applies.
MATCH (i:Import {id: $id})
RETURN i.at AS at
LIMIT 1
