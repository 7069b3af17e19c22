-- warta store, schema version 1.
-- records.record holds the full article record as JSON; the other columns and tables
-- are derived from it for querying. Fingerprint keys are kept for canonical articles only
-- (copies are never candidates).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    every_secs    INTEGER NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    last_polled   TEXT,
    last_status   TEXT,
    added         TEXT NOT NULL
);

CREATE TABLE articles (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL,
    seq           INTEGER NOT NULL,        -- change number: bumped on every write
    url           TEXT,
    canonical_url TEXT,
    site          TEXT,                    -- lowercase host without www.
    title         TEXT,
    published     TEXT,
    published_day TEXT,                    -- YYYY-MM-DD
    language      TEXT NOT NULL,
    content_hash  TEXT NOT NULL,           -- of title and text
    revision      INTEGER NOT NULL,
    duplicate_of  TEXT,                    -- canonical article when this is a copy
    source_id     INTEGER,
    first_seen    TEXT NOT NULL,
    updated       TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_by_id ON articles(id);
CREATE UNIQUE INDEX articles_by_seq ON articles(seq);
CREATE INDEX articles_by_site ON articles(site, published_day);
CREATE INDEX articles_by_day ON articles(published_day);
CREATE INDEX articles_by_canonical ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;

-- The full records, apart from the articles table so its rows stay small.
CREATE TABLE records (
    article_id TEXT PRIMARY KEY,
    record     TEXT NOT NULL
);

CREATE TABLE revisions (
    article_id TEXT NOT NULL,
    revision   INTEGER NOT NULL,
    replaced   TEXT NOT NULL,
    record     TEXT NOT NULL,
    PRIMARY KEY (article_id, revision)
) WITHOUT ROWID;

CREATE TABLE entities (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL,
    country TEXT
) WITHOUT ROWID;
CREATE INDEX entities_by_name ON entities(name COLLATE NOCASE);

CREATE TABLE article_entities (
    article_id TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    role       TEXT,
    mentions   INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX article_entities_by_entity ON article_entities(entity_id);

CREATE TABLE mentions (
    article_id TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    text       TEXT NOT NULL
);
CREATE INDEX mentions_by_article ON mentions(article_id);
CREATE INDEX mentions_by_entity ON mentions(entity_id);

CREATE TABLE quotes (
    article_id     TEXT NOT NULL,
    n              INTEGER NOT NULL,
    text           TEXT NOT NULL,
    speaker        TEXT,
    speaker_entity TEXT,
    description    TEXT,
    direct         INTEGER NOT NULL,
    cue            TEXT,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    PRIMARY KEY (article_id, n)
) WITHOUT ROWID;
CREATE INDEX quotes_by_speaker_entity ON quotes(speaker_entity);
CREATE INDEX quotes_by_speaker ON quotes(speaker COLLATE NOCASE);

CREATE TABLE times (
    article_id TEXT NOT NULL,
    n          INTEGER NOT NULL,
    text       TEXT NOT NULL,
    value      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    first_day  TEXT,                       -- YYYY-MM-DD range the value covers
    last_day   TEXT,
    PRIMARY KEY (article_id, n)
) WITHOUT ROWID;
CREATE INDEX times_by_day ON times(first_day, last_day);

CREATE TABLE fingerprints (
    article_id TEXT PRIMARY KEY,
    exact      INTEGER NOT NULL,
    keys       BLOB NOT NULL,              -- little-endian u64 lookup keys
    signature  BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX fingerprints_by_exact ON fingerprints(exact);

CREATE TABLE fingerprint_keys (
    key        INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

CREATE TABLE inputs (
    key        TEXT PRIMARY KEY,           -- path, URL or WARC record reference
    hash       TEXT NOT NULL,              -- of the raw bytes
    article_id TEXT,
    seen       TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE fetch_log (
    id      INTEGER PRIMARY KEY,
    url     TEXT NOT NULL,
    at      TEXT NOT NULL,
    status  INTEGER,
    outcome TEXT NOT NULL,
    error   TEXT,
    bytes   INTEGER NOT NULL,
    millis  INTEGER NOT NULL
);
CREATE INDEX fetch_log_by_url ON fetch_log(url);
