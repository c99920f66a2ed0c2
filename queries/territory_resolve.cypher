// question: which territory does a user's parameter name (an id, an INSEE code or a name)
// parameters: $ids (candidate ids, preferred first), $code (INSEE code or null),
//   $name_key (normalise_token of the text)
// returns: candidate territories {id, code, name, level, population} with a rank:
//   0 an id match, 1 a code match, 2 a name match
MATCH (t:Territory) WHERE t.id IN $ids
RETURN t {.id, .code, .name, .level, .population} AS territory, 0 AS rank
UNION
MATCH (t:Territory) WHERE $code IS NOT NULL AND t.code = $code
RETURN t {.id, .code, .name, .level, .population} AS territory, 1 AS rank
UNION
MATCH (t:Territory) WHERE t.name_key = $name_key
RETURN t {.id, .code, .name, .level, .population} AS territory, 2 AS rank
