// question: how big is the graph — counts by label, relationship type, organisation
//   kind, programme phase, role, and organisations by région and département
// parameters: $as_of (DateTime or null: now)
// returns: one row: labels {Label: n}, relationships {TYPE: n}, kinds [{key, n}],
//   phases [{key, n}], by_region and by_departement [{territory, n}], roles_declared and
//   roles_named {role: n} (declared by group nodes' `count`, named one by one)
// By région and département: organisations LOCATED_IN a commune whose own département
// (direct PART_OF) is, or is in, the territory — never through the commune's EPCI, which
// may span several départements (Marseille's organisations are not counted in the Var).
// Only what is alive counts (the rule, on each node and relationship counted; a count by
// type reads no node: a relationship counts when it is alive itself). So the counts by
// label and type are label and type scans reading `retired_at`, no longer count-store
// lookups: the wrapper keeps the answer until the graph changes (queries/README.md,
// Caches). The list of labels and types is the vocabulary's (tests/queries check that
// this file covers it).
CALL () { MATCH (n:Organisation) WHERE {{alive n}} RETURN count(n) AS `l_Organisation` }
CALL () { MATCH (n:Relay) WHERE {{alive n}} RETURN count(n) AS `l_Relay` }
CALL () { MATCH (n:Catalyst) WHERE {{alive n}} RETURN count(n) AS `l_Catalyst` }
CALL () { MATCH (n:Programme) WHERE {{alive n}} RETURN count(n) AS `l_Programme` }
CALL () { MATCH (n:Need) WHERE {{alive n}} RETURN count(n) AS `l_Need` }
CALL () { MATCH (n:DialogueSpace) WHERE {{alive n}} RETURN count(n) AS `l_DialogueSpace` }
CALL () { MATCH (n:Deliverable) WHERE {{alive n}} RETURN count(n) AS `l_Deliverable` }
CALL () { MATCH (n:Study) WHERE {{alive n}} RETURN count(n) AS `l_Study` }
CALL () { MATCH (n:Event) WHERE {{alive n}} RETURN count(n) AS `l_Event` }
CALL () { MATCH (n:Person) WHERE {{alive n}} RETURN count(n) AS `l_Person` }
CALL () { MATCH (n:Territory) WHERE {{alive n}} RETURN count(n) AS `l_Territory` }
CALL () { MATCH (n:Country) WHERE {{alive n}} RETURN count(n) AS `l_Country` }
CALL () { MATCH (n:Region) WHERE {{alive n}} RETURN count(n) AS `l_Region` }
CALL () { MATCH (n:Departement) WHERE {{alive n}} RETURN count(n) AS `l_Departement` }
CALL () { MATCH (n:Epci) WHERE {{alive n}} RETURN count(n) AS `l_Epci` }
CALL () { MATCH (n:Commune) WHERE {{alive n}} RETURN count(n) AS `l_Commune` }
CALL () { MATCH ()-[r:CARRIES]->() WHERE {{alive r}} RETURN count(r) AS `r_CARRIES` }
CALL () { MATCH ()-[r:FUNDS]->() WHERE {{alive r}} RETURN count(r) AS `r_FUNDS` }
CALL () { MATCH ()-[r:OPERATES]->() WHERE {{alive r}} RETURN count(r) AS `r_OPERATES` }
CALL () { MATCH ()-[r:RELAYS]->() WHERE {{alive r}} RETURN count(r) AS `r_RELAYS` }
CALL () { MATCH ()-[r:ADDRESSES]->() WHERE {{alive r}} RETURN count(r) AS `r_ADDRESSES` }
CALL () { MATCH ()-[r:EXPRESSES]->() WHERE {{alive r}} RETURN count(r) AS `r_EXPRESSES` }
CALL () { MATCH ()-[r:IDENTIFIES]->() WHERE {{alive r}} RETURN count(r) AS `r_IDENTIFIES` }
CALL () { MATCH ()-[r:PARTICIPATES_IN]->() WHERE {{alive r}} RETURN count(r) AS `r_PARTICIPATES_IN` }
CALL () { MATCH ()-[r:COPILOTS]->() WHERE {{alive r}} RETURN count(r) AS `r_COPILOTS` }
CALL () { MATCH ()-[r:PRODUCED]->() WHERE {{alive r}} RETURN count(r) AS `r_PRODUCED` }
CALL () { MATCH ()-[r:MEMBER_OF]->() WHERE {{alive r}} RETURN count(r) AS `r_MEMBER_OF` }
CALL () { MATCH ()-[r:PARTNERS_WITH]->() WHERE {{alive r}} RETURN count(r) AS `r_PARTNERS_WITH` }
CALL () { MATCH ()-[r:LEADS]->() WHERE {{alive r}} RETURN count(r) AS `r_LEADS` }
CALL () { MATCH ()-[r:SPOKE_AT]->() WHERE {{alive r}} RETURN count(r) AS `r_SPOKE_AT` }
CALL () { MATCH ()-[r:HELD]->() WHERE {{alive r}} RETURN count(r) AS `r_HELD` }
CALL () { MATCH ()-[r:LOCATED_IN]->() WHERE {{alive r}} RETURN count(r) AS `r_LOCATED_IN` }
CALL () { MATCH ()-[r:ACTIVE_IN]->() WHERE {{alive r}} RETURN count(r) AS `r_ACTIVE_IN` }
CALL () { MATCH ()-[r:COVERS]->() WHERE {{alive r}} RETURN count(r) AS `r_COVERS` }
CALL () { MATCH ()-[r:PART_OF]->() WHERE {{alive r}} RETURN count(r) AS `r_PART_OF` }
// Roles known by a count only: a group node (the 350 catalysts, the 30 relays) carries its
// declared `count`; the others are named one by one.
CALL () {
  MATCH (n:Relay)
  WHERE {{alive n}}
  RETURN sum(coalesce(n.count, 0)) AS `declared_relay`,
         count(CASE WHEN n.count IS NULL THEN 1 END) AS `named_relay`
}
CALL () {
  MATCH (n:Catalyst)
  WHERE {{alive n}}
  RETURN sum(coalesce(n.count, 0)) AS `declared_catalyst`,
         count(CASE WHEN n.count IS NULL THEN 1 END) AS `named_catalyst`
}
CALL () {
  MATCH (o:Organisation)
  WHERE {{alive o}}
  WITH o.kind AS key, count(*) AS n ORDER BY key
  RETURN collect({key: key, n: n}) AS kinds
}
CALL () {
  MATCH (p:Programme)
  WHERE {{alive p}}
  WITH p.phase AS key, count(*) AS n ORDER BY key
  RETURN collect({key: key, n: n}) AS phases
}
CALL () {
  MATCH (d:Departement)<-[p:PART_OF]-(c:Commune)<-[l:LOCATED_IN]-(o:Organisation)
  WHERE {{alive d}} AND {{alive p}} AND {{alive c}} AND {{alive l}} AND {{alive o}}
  WITH d, count(DISTINCT o) AS n ORDER BY n DESC, d.id
  RETURN collect({territory: d {.id, .code, .name, .level}, n: n}) AS by_departement
}
CALL () {
  MATCH (g:Region)<-[p1:PART_OF]-(d:Departement)<-[p2:PART_OF]-(c:Commune)<-[l:LOCATED_IN]-
        (o:Organisation)
  WHERE {{alive g}} AND {{alive p1}} AND {{alive d}} AND {{alive p2}} AND {{alive c}}
    AND {{alive l}} AND {{alive o}}
  WITH g, count(DISTINCT o) AS n ORDER BY n DESC, g.id
  RETURN collect({territory: g {.id, .code, .name, .level}, n: n}) AS by_region
}
RETURN {Organisation: `l_Organisation`, Relay: `l_Relay`, Catalyst: `l_Catalyst`, Programme: `l_Programme`, Need: `l_Need`, DialogueSpace: `l_DialogueSpace`, Deliverable: `l_Deliverable`, Study: `l_Study`, Event: `l_Event`, Person: `l_Person`, Territory: `l_Territory`, Country: `l_Country`, Region: `l_Region`, Departement: `l_Departement`, Epci: `l_Epci`, Commune: `l_Commune`} AS labels,
       {CARRIES: `r_CARRIES`, FUNDS: `r_FUNDS`, OPERATES: `r_OPERATES`, RELAYS: `r_RELAYS`, ADDRESSES: `r_ADDRESSES`, EXPRESSES: `r_EXPRESSES`, IDENTIFIES: `r_IDENTIFIES`, PARTICIPATES_IN: `r_PARTICIPATES_IN`, COPILOTS: `r_COPILOTS`, PRODUCED: `r_PRODUCED`, MEMBER_OF: `r_MEMBER_OF`, PARTNERS_WITH: `r_PARTNERS_WITH`, LEADS: `r_LEADS`, SPOKE_AT: `r_SPOKE_AT`, HELD: `r_HELD`, LOCATED_IN: `r_LOCATED_IN`, ACTIVE_IN: `r_ACTIVE_IN`, COVERS: `r_COVERS`, PART_OF: `r_PART_OF`} AS relationships,
       kinds, phases, by_region, by_departement,
       {relay: `declared_relay`, catalyst: `declared_catalyst`} AS roles_declared,
       {relay: `named_relay`, catalyst: `named_catalyst`} AS roles_named
