-- warta store, schema version 3: watches (saved queries that push new matching stories),
-- what each watch matched (its feed), and the outbox of notifications to deliver.
-- meta('watch_cursor') is the change number (articles.seq) up to which new articles have
-- been matched; it advances in the same transaction as the outbox rows it produced.

CREATE TABLE watches (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    name      TEXT NOT NULL UNIQUE,
    spec      TEXT NOT NULL,            -- JSON: query, filters, channels, digest
    since_seq INTEGER NOT NULL,         -- only articles written after this change fire
    created   TEXT NOT NULL
);

CREATE TABLE watch_matches (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    watch_id   INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    payload    TEXT NOT NULL,           -- JSON record of the story as notified
    UNIQUE (watch_id, article_id)
);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL UNIQUE,    -- idempotency key: watch, article, channel
    watch_id   INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    channel    INTEGER NOT NULL,        -- index into the watch's channels
    article_id TEXT NOT NULL,
    payload    TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',   -- pending, delivered, failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    due_ms     INTEGER NOT NULL,        -- next attempt, Unix milliseconds
    created    TEXT NOT NULL,
    finished   TEXT,                    -- when delivered or given up
    detail     TEXT                     -- last error, or what the channel answered
);
CREATE INDEX outbox_pending ON outbox(id) WHERE status = 'pending';
CREATE INDEX outbox_by_watch ON outbox(watch_id, id);
