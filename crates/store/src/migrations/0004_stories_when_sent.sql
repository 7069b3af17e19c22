-- warta store, schema version 4: a watch's match and a queued notification name the
-- article only; the story is made from the article's record when it is sent or shown
-- (an article firing 100 watches used to store its story 100 times over, twice).
-- outbox.sent keeps what was actually sent, once it was.

-- A plain rowid (no AUTOINCREMENT): the order of matches is all the id is for, and
-- matching writes many rows.
CREATE TABLE watch_matches_v4 (
    id         INTEGER PRIMARY KEY,
    watch_id   INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    UNIQUE (watch_id, article_id)
);
INSERT INTO watch_matches_v4(id, watch_id, article_id, matched_at)
    SELECT id, watch_id, article_id, matched_at FROM watch_matches;
DROP TABLE watch_matches;
ALTER TABLE watch_matches_v4 RENAME TO watch_matches;

CREATE TABLE outbox_v4 (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL UNIQUE,    -- idempotency key: watch, article, channel
    watch_id   INTEGER NOT NULL REFERENCES watches(id) ON DELETE CASCADE,
    channel    INTEGER NOT NULL,        -- index into the watch's channels
    article_id TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',   -- pending, delivered, failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    due_ms     INTEGER NOT NULL,        -- next attempt, Unix milliseconds
    created    TEXT NOT NULL,
    finished   TEXT,                    -- when delivered or given up
    detail     TEXT,                    -- last error, or what the channel answered
    sent       TEXT                     -- JSON of what was sent, once delivered
);
INSERT INTO outbox_v4(id, key, watch_id, channel, article_id, status, attempts, due_ms,
                      created, finished, detail, sent)
    SELECT id, key, watch_id, channel, article_id, status, attempts, due_ms, created,
           finished, detail, CASE WHEN status = 'delivered' THEN payload END
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v4 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(id) WHERE status = 'pending';
CREATE INDEX outbox_by_watch ON outbox(watch_id, id);
