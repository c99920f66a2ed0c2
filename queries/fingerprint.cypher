// question: has the collaboration network changed — a cheap version key for the analytics
//   cache: node counts of the projected labels and relationship counts of the projected
//   types (all count-store lookups, O(1))
// parameters: none
// returns: one row of counts. An edit that keeps every count (a link moved, a renamed node)
//   is seen by the bookmark of this read, which graph_fingerprint adds to the key.
CALL () { MATCH (n:Organisation) RETURN count(n) AS organisations }
CALL () { MATCH (n:Programme) RETURN count(n) AS programmes }
CALL () { MATCH (n:DialogueSpace) RETURN count(n) AS spaces }
CALL () { MATCH ()-[r:PARTNERS_WITH]->() RETURN count(r) AS partners_with }
CALL () { MATCH ()-[r:MEMBER_OF]->() RETURN count(r) AS member_of }
CALL () { MATCH ()-[r:CARRIES]->() RETURN count(r) AS carries }
CALL () { MATCH ()-[r:FUNDS]->() RETURN count(r) AS funds }
CALL () { MATCH ()-[r:OPERATES]->() RETURN count(r) AS operates }
CALL () { MATCH ()-[r:RELAYS]->() RETURN count(r) AS relays }
CALL () { MATCH ()-[r:COPILOTS]->() RETURN count(r) AS copilots }
CALL () { MATCH ()-[r:PARTICIPATES_IN]->() RETURN count(r) AS participates_in }
RETURN organisations, programmes, spaces, partners_with, member_of, carries, funds,
       operates, relays, copilots, participates_in
