// question: which organisations are there, optionally of a kind, holding a role, in a territory
// parameters: $kind (or null), $role_label (Relay, Catalyst or null), $territory (id or null),
//   $limit, $offset, $as_of (DateTime or null: now)
// returns: one row: total (all matching), items (the page, by name then id:
//   {id, name, kind, labels})
// "In a territory": located in or active in it, or in a territory PART_OF it — a PART_OF
// path never passing through an EPCI (an EPCI may only be its first or last node): an
// organisation located in Marseille is in the Bouches-du-Rhône, not in the Var its EPCI
// touches; one active in that EPCI is in each of its départements.
MATCH (o:Organisation)
WHERE ($kind IS NULL OR o.kind = $kind)
  AND ($role_label IS NULL OR $role_label IN labels(o))
  AND {{alive o}}
  AND ($territory IS NULL OR EXISTS {
    MATCH (o)-[l:LOCATED_IN|ACTIVE_IN]->(a:Territory),
          down = (a)-[:PART_OF*0..4]->(:Territory {id: $territory})
    WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive l}}
      AND {{alive_path down}}
  })
WITH o ORDER BY o.name, o.id SKIP $offset LIMIT $limit
WITH collect({id: o.id, name: o.name, kind: o.kind, labels: labels(o)}) AS items
CALL () {
  MATCH (o:Organisation)
  WHERE ($kind IS NULL OR o.kind = $kind)
    AND ($role_label IS NULL OR $role_label IN labels(o))
    AND {{alive o}}
    AND ($territory IS NULL OR EXISTS {
      MATCH (o)-[l:LOCATED_IN|ACTIVE_IN]->(a:Territory),
            down = (a)-[:PART_OF*0..4]->(:Territory {id: $territory})
      WHERE all(x IN nodes(down)[1..-1] WHERE NOT x:Epci) AND {{alive l}}
        AND {{alive_path down}}
    })
  RETURN count(o) AS total
}
RETURN total, items
