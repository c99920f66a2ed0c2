// question: how big is the graph — counts by label, relationship type, organisation
//   kind, programme phase, role, and organisations by région and département
// parameters: none
// returns: one row: labels {Label: n}, relationships {TYPE: n}, kinds [{key, n}],
//   phases [{key, n}], by_region and by_departement [{territory, n}], roles_declared and
//   roles_named {role: n} (declared by group nodes' `count`, named one by one)
// By région and département: organisations LOCATED_IN a commune whose own département
// (direct PART_OF) is, or is in, the territory — never through the commune's EPCI, which
// may span several départements (Marseille's organisations are not counted in the Var).
// Counts by label and type are count-store lookups (MATCH by label); the list of labels
// and types is the vocabulary's (tests/queries check that this file covers it).
CALL () { MATCH (n:Organisation) RETURN count(n) AS `l_Organisation` }
CALL () { MATCH (n:Relay) RETURN count(n) AS `l_Relay` }
CALL () { MATCH (n:Catalyst) RETURN count(n) AS `l_Catalyst` }
CALL () { MATCH (n:Programme) RETURN count(n) AS `l_Programme` }
CALL () { MATCH (n:Need) RETURN count(n) AS `l_Need` }
CALL () { MATCH (n:DialogueSpace) RETURN count(n) AS `l_DialogueSpace` }
CALL () { MATCH (n:Deliverable) RETURN count(n) AS `l_Deliverable` }
CALL () { MATCH (n:Study) RETURN count(n) AS `l_Study` }
CALL () { MATCH (n:Event) RETURN count(n) AS `l_Event` }
CALL () { MATCH (n:Person) RETURN count(n) AS `l_Person` }
CALL () { MATCH (n:Territory) RETURN count(n) AS `l_Territory` }
CALL () { MATCH (n:Country) RETURN count(n) AS `l_Country` }
CALL () { MATCH (n:Region) RETURN count(n) AS `l_Region` }
CALL () { MATCH (n:Departement) RETURN count(n) AS `l_Departement` }
CALL () { MATCH (n:Epci) RETURN count(n) AS `l_Epci` }
CALL () { MATCH (n:Commune) RETURN count(n) AS `l_Commune` }
CALL () { MATCH ()-[r:CARRIES]->() RETURN count(r) AS `r_CARRIES` }
CALL () { MATCH ()-[r:FUNDS]->() RETURN count(r) AS `r_FUNDS` }
CALL () { MATCH ()-[r:OPERATES]->() RETURN count(r) AS `r_OPERATES` }
CALL () { MATCH ()-[r:RELAYS]->() RETURN count(r) AS `r_RELAYS` }
CALL () { MATCH ()-[r:ADDRESSES]->() RETURN count(r) AS `r_ADDRESSES` }
CALL () { MATCH ()-[r:EXPRESSES]->() RETURN count(r) AS `r_EXPRESSES` }
CALL () { MATCH ()-[r:IDENTIFIES]->() RETURN count(r) AS `r_IDENTIFIES` }
CALL () { MATCH ()-[r:PARTICIPATES_IN]->() RETURN count(r) AS `r_PARTICIPATES_IN` }
CALL () { MATCH ()-[r:COPILOTS]->() RETURN count(r) AS `r_COPILOTS` }
CALL () { MATCH ()-[r:PRODUCED]->() RETURN count(r) AS `r_PRODUCED` }
CALL () { MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS `r_MEMBER_OF` }
CALL () { MATCH ()-[r:PARTNERS_WITH]->() RETURN count(r) AS `r_PARTNERS_WITH` }
CALL () { MATCH ()-[r:LEADS]->() RETURN count(r) AS `r_LEADS` }
CALL () { MATCH ()-[r:SPOKE_AT]->() RETURN count(r) AS `r_SPOKE_AT` }
CALL () { MATCH ()-[r:HELD]->() RETURN count(r) AS `r_HELD` }
CALL () { MATCH ()-[r:LOCATED_IN]->() RETURN count(r) AS `r_LOCATED_IN` }
CALL () { MATCH ()-[r:ACTIVE_IN]->() RETURN count(r) AS `r_ACTIVE_IN` }
CALL () { MATCH ()-[r:COVERS]->() RETURN count(r) AS `r_COVERS` }
CALL () { MATCH ()-[r:PART_OF]->() RETURN count(r) AS `r_PART_OF` }
// Roles known by a count only: a group node (the 350 catalysts, the 30 relays) carries its
// declared `count`; the others are named one by one.
CALL () {
  MATCH (n:Relay)
  RETURN sum(coalesce(n.count, 0)) AS `declared_relay`,
         count(CASE WHEN n.count IS NULL THEN 1 END) AS `named_relay`
}
CALL () {
  MATCH (n:Catalyst)
  RETURN sum(coalesce(n.count, 0)) AS `declared_catalyst`,
         count(CASE WHEN n.count IS NULL THEN 1 END) AS `named_catalyst`
}
CALL () {
  MATCH (o:Organisation)
  WITH o.kind AS key, count(*) AS n ORDER BY key
  RETURN collect({key: key, n: n}) AS kinds
}
CALL () {
  MATCH (p:Programme)
  WITH p.phase AS key, count(*) AS n ORDER BY key
  RETURN collect({key: key, n: n}) AS phases
}
CALL () {
  MATCH (d:Departement)<-[:PART_OF]-(:Commune)<-[:LOCATED_IN]-(o:Organisation)
  WITH d, count(DISTINCT o) AS n ORDER BY n DESC, d.id
  RETURN collect({territory: d {.id, .code, .name, .level}, n: n}) AS by_departement
}
CALL () {
  MATCH (g:Region)<-[:PART_OF]-(:Departement)<-[:PART_OF]-(:Commune)<-[:LOCATED_IN]-
        (o:Organisation)
  WITH g, count(DISTINCT o) AS n ORDER BY n DESC, g.id
  RETURN collect({territory: g {.id, .code, .name, .level}, n: n}) AS by_region
}
RETURN {Organisation: `l_Organisation`, Relay: `l_Relay`, Catalyst: `l_Catalyst`, Programme: `l_Programme`, Need: `l_Need`, DialogueSpace: `l_DialogueSpace`, Deliverable: `l_Deliverable`, Study: `l_Study`, Event: `l_Event`, Person: `l_Person`, Territory: `l_Territory`, Country: `l_Country`, Region: `l_Region`, Departement: `l_Departement`, Epci: `l_Epci`, Commune: `l_Commune`} AS labels,
       {CARRIES: `r_CARRIES`, FUNDS: `r_FUNDS`, OPERATES: `r_OPERATES`, RELAYS: `r_RELAYS`, ADDRESSES: `r_ADDRESSES`, EXPRESSES: `r_EXPRESSES`, IDENTIFIES: `r_IDENTIFIES`, PARTICIPATES_IN: `r_PARTICIPATES_IN`, COPILOTS: `r_COPILOTS`, PRODUCED: `r_PRODUCED`, MEMBER_OF: `r_MEMBER_OF`, PARTNERS_WITH: `r_PARTNERS_WITH`, LEADS: `r_LEADS`, SPOKE_AT: `r_SPOKE_AT`, HELD: `r_HELD`, LOCATED_IN: `r_LOCATED_IN`, ACTIVE_IN: `r_ACTIVE_IN`, COVERS: `r_COVERS`, PART_OF: `r_PART_OF`} AS relationships,
       kinds, phases, by_region, by_departement,
       {relay: `declared_relay`, catalyst: `declared_catalyst`} AS roles_declared,
       {relay: `named_relay`, catalyst: `named_catalyst`} AS roles_named
