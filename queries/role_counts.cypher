// question: how many organisations of each role (relay, catalyst) the documents declare by
//   a count only, and how many the graph names one by one — what a role filter can match
// parameters: $as_of (DateTime or null: now)
// returns: one row per role: role, declared (the sum of the group nodes' `count`: the 350
//   catalysts), named (organisations of that role without a `count`)
// A group node (org:catalyseurs-territoriaux, count 350) stands for members the documents
// do not name: a filter on the role can only ever match the named ones. Same counts as
// stats.cypher's roles_declared / roles_named.
CALL () {
  MATCH (n:Relay)
  WHERE {{alive n}}
  RETURN 'relay' AS role, sum(coalesce(n.count, 0)) AS declared,
         count(CASE WHEN n.count IS NULL THEN 1 END) AS named
  UNION ALL
  MATCH (n:Catalyst)
  WHERE {{alive n}}
  RETURN 'catalyst' AS role, sum(coalesce(n.count, 0)) AS declared,
         count(CASE WHEN n.count IS NULL THEN 1 END) AS named
}
RETURN role, declared, named
