// question: the collaboration network for analytics — every organisation, and its links to
//   other organisations (partnership, membership), to programmes (carries, funds, operates,
//   relays, co-pilots) and to dialogue spaces (participates, co-pilots)
// parameters: $as_of (DateTime or null: now)
// returns: one row per organisation × link (b null for an organisation without links):
//   a, a_name, a_kind, b, b_name, b_kind, b_label — read as a simple undirected graph
MATCH (a:Organisation)
WHERE {{alive a}}
OPTIONAL MATCH (a)-[r:PARTNERS_WITH|MEMBER_OF|CARRIES|FUNDS|OPERATES|RELAYS|COPILOTS|
                   PARTICIPATES_IN]->(b)
WHERE (b:Organisation OR b:Programme OR b:DialogueSpace) AND {{alive r}} AND {{alive b}}
RETURN a.id AS a, a.name AS a_name, a.kind AS a_kind,
       b.id AS b, b.name AS b_name, coalesce(b.kind, b.phase) AS b_kind,
       CASE WHEN b:Organisation THEN 'Organisation'
            WHEN b:Programme THEN 'Programme'
            WHEN b:DialogueSpace THEN 'DialogueSpace' END AS b_label
