-- warta store, schema version 2: mentions looked up by the words an article used
-- (search's entity-aware query expansion: "Korut", "Tertitskiy").
CREATE INDEX mentions_by_text ON mentions(text COLLATE NOCASE);
