// question: who sits in each dialogue space, and how do the spaces overlap (shared
//   organisations, Jaccard index)
// parameters: $members_limit (members listed per space; the count is always complete),
//   $as_of (DateTime or null: now)
// returns: one row: spaces [{space {id, name, count}, member_count, members [{organisation,
//   roles}]}] and overlaps [{a, b, shared [organisation], shared_count, size_a, size_b}]
//   — a member participates in (PARTICIPATES_IN, with its role) or co-pilots the space
CALL () {
  MATCH (s:DialogueSpace)
  WHERE {{alive s}}
  OPTIONAL MATCH (o:Organisation)-[r:PARTICIPATES_IN|COPILOTS]->(s)
  WHERE {{alive r}} AND {{alive o}}
  WITH s, o, collect(DISTINCT CASE type(r) WHEN 'COPILOTS' THEN 'copilot'
                                 ELSE coalesce(r.role, 'participant') END) AS roles
  ORDER BY s.name, s.id, o.name, o.id
  WITH s, collect(CASE WHEN o IS NOT NULL
                   THEN {organisation: o {.id, .name, .kind, labels: labels(o)}, roles: roles}
                   END) AS members
  RETURN collect({space: s {.id, .name, .count}, member_count: size(members),
                  members: members[..$members_limit]}) AS spaces
}
CALL () {
  MATCH (s1:DialogueSpace)<-[r1:PARTICIPATES_IN|COPILOTS]-(o:Organisation)
        -[r2:PARTICIPATES_IN|COPILOTS]->(s2:DialogueSpace)
  WHERE s1.id < s2.id AND {{alive s1}} AND {{alive r1}} AND {{alive o}} AND {{alive r2}}
    AND {{alive s2}}
  WITH s1, s2, o ORDER BY o.name, o.id
  WITH s1, s2, collect(DISTINCT o {.id, .name, .kind, labels: labels(o)}) AS shared
  ORDER BY size(shared) DESC, s1.id, s2.id
  RETURN collect({
    a: s1.id, b: s2.id, shared: shared, shared_count: size(shared),
    size_a: COUNT { MATCH (x:Organisation)-[r:PARTICIPATES_IN|COPILOTS]->(s1)
                    WHERE {{alive r}} AND {{alive x}} RETURN DISTINCT x },
    size_b: COUNT { MATCH (x:Organisation)-[r:PARTICIPATES_IN|COPILOTS]->(s2)
                    WHERE {{alive r}} AND {{alive x}} RETURN DISTINCT x }
  }) AS overlaps
}
RETURN spaces, overlaps
