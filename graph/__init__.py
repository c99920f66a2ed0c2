"""Domain model, vocabulary, schema, settings, driver and the managed local Neo4j."""
