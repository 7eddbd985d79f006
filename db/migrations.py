"""Named, append-only schema migrations (``sqlite_utils.Migrations``).

Rules: never edit or reorder a migration that has shipped; add a new one at the end and bump
nothing else — the schema version is the number of migrations. Each migration runs in its own
transaction together with the record that it ran.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("gazetteer")


@migrations(name="0001_initial_schema")
def initial_schema(db: Database) -> None:
    """Places, names, dated populations, sources, dated relations, change log, search keys."""
    db.executescript(
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE source (
            id       INTEGER PRIMARY KEY,
            citation TEXT NOT NULL UNIQUE,   -- a URL or a bibliographic title, as given
            url      TEXT,
            accessed TEXT                    -- ISO date the source was consulted, when known
        );

        CREATE TABLE place (
            id          TEXT PRIMARY KEY,    -- stable slug ('shusha') or 'geonames:147105'
            role        TEXT NOT NULL,       -- country, region, district, city, river ...
            lat         REAL CHECK (lat IS NULL OR (lat BETWEEN -90 AND 90)),
            lon         REAL CHECK (lon IS NULL OR (lon BETWEEN -180 AND 180)),
            parent_id   TEXT REFERENCES place(id) DEFERRABLE INITIALLY DEFERRED,
            importance  REAL NOT NULL DEFAULT 0,
            geonames_id INTEGER,
            wikidata_id TEXT,
            note        TEXT
        );
        CREATE INDEX place_parent ON place(parent_id);
        CREATE INDEX place_geonames ON place(geonames_id);
        CREATE INDEX place_latlon ON place(lat, lon);

        CREATE TABLE place_source (
            place_id  TEXT NOT NULL REFERENCES place(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES source(id),
            position  INTEGER NOT NULL,
            PRIMARY KEY (place_id, source_id)
        );

        CREATE TABLE name (
            id           INTEGER PRIMARY KEY,
            place_id     TEXT NOT NULL REFERENCES place(id) ON DELETE CASCADE,
            text         TEXT NOT NULL CHECK (length(trim(text)) > 0),  -- as published, NFC
            lang         TEXT NOT NULL,      -- BCP 47 tag: hy, az, az-Cyrl, hy-Latn, ru, en
            script       TEXT NOT NULL,      -- ISO 15924: Armn, Latn, Cyrl, Arab
            kind         TEXT NOT NULL,      -- official, common, variant, historic ...
            romanization TEXT,               -- BGN/PCGN, ISO 9985 ... when kind is one
            valid_from   INTEGER,
            valid_to     INTEGER,
            used_by      TEXT,               -- authority or community that uses the name
            preferred    INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0, 1)),
            source_id    INTEGER REFERENCES source(id),
            CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
        );
        CREATE INDEX name_place ON name(place_id);
        CREATE UNIQUE INDEX name_identity ON name(
            place_id, text, lang, kind, coalesce(valid_from, -99999), coalesce(valid_to, -99999)
        );

        CREATE TABLE population (
            id        INTEGER PRIMARY KEY,
            place_id  TEXT NOT NULL REFERENCES place(id) ON DELETE CASCADE,
            value     INTEGER NOT NULL CHECK (value >= 0),
            year      INTEGER,
            source_id INTEGER REFERENCES source(id)
        );
        CREATE INDEX population_place ON population(place_id);
        CREATE UNIQUE INDEX population_identity
            ON population(place_id, value, coalesce(year, -99999));

        CREATE TABLE relation (
            id         INTEGER PRIMARY KEY,
            place_id   TEXT NOT NULL REFERENCES place(id) ON DELETE CASCADE,
            kind       TEXT NOT NULL,        -- part_of, successor_of ...
            target_id  TEXT NOT NULL REFERENCES place(id) ON DELETE CASCADE,
            valid_from INTEGER,
            valid_to   INTEGER,
            source_id  INTEGER REFERENCES source(id),
            note       TEXT,
            CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
        );
        CREATE INDEX relation_place ON relation(place_id);
        CREATE INDEX relation_target ON relation(target_id);
        CREATE UNIQUE INDEX relation_identity ON relation(
            place_id, kind, target_id, coalesce(valid_from, -99999), coalesce(valid_to, -99999)
        );

        CREATE TABLE change (
            id        INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,         -- UTC ISO timestamp
            actor     TEXT NOT NULL,         -- user name or 'import'
            action    TEXT NOT NULL,         -- create, update, add-name, import ...
            entity    TEXT NOT NULL,         -- place, name, population ...
            entity_id TEXT NOT NULL,
            field     TEXT,
            old_value TEXT,
            new_value TEXT
        );
        CREATE INDEX change_entity ON change(entity, entity_id);

        -- Derived search keys: one row per key kind per name, rebuilt when the rules change.
        CREATE TABLE name_key (
            name_id INTEGER NOT NULL REFERENCES name(id) ON DELETE CASCADE,
            kind    TEXT NOT NULL,
            key     TEXT NOT NULL
        );
        CREATE INDEX name_key_lookup ON name_key(kind, key);
        CREATE INDEX name_key_name ON name_key(name_id);
        """
    )


@migrations(name="0002_naming_profiles")
def naming_profiles(db: Database) -> None:
    """User naming profiles (house styles); the built-in ones live in code, not here."""
    db.executescript(
        """
        CREATE TABLE naming_profile (
            id         TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 40),
            settings   TEXT NOT NULL CHECK (json_valid(settings)),  -- JSON object
            created_at TEXT NOT NULL,    -- UTC ISO timestamp
            updated_at TEXT NOT NULL
        );
        """
    )


@migrations(name="0003_search_index")
def search_index(db: Database) -> None:
    """Search keys carry their place's importance; a deletion index serves typo search.

    * ``name_key.rank`` is a copy of the place's importance, so that the few best rows of
      a key that thousands of names share (a prefix like ``san``, a coarse phonetic key)
      are picked inside one covering index, without visiting the name and place tables of
      every row. It replaces the (kind, key) index it extends. A copy can go stale when a
      population changes; it only orders candidates, the final ranking reads the place.
    * ``skel_delete`` holds, for every canonical skeleton (and core), each string obtained
      by deleting one of its characters (the SymSpell idea): a query within one or two edits
      of a stored skeleton shares such a string with it, found by equality, never by a scan.
    * ``seq`` is a list of small integers (1…100) used to spell those deletions in SQL.
    Both are derived data, filled by the search layer (``gazetteer.search``).
    """
    db.executescript(
        """
        ALTER TABLE name_key ADD COLUMN rank REAL;
        DROP INDEX name_key_lookup;
        CREATE INDEX name_key_ranked ON name_key(kind, key, rank, name_id);

        CREATE TABLE skel_delete (
            del  TEXT NOT NULL,  -- a skeleton with one character deleted
            skel TEXT NOT NULL,  -- the canonical skeleton it came from
            PRIMARY KEY (del, skel)
        ) WITHOUT ROWID;

        CREATE TABLE seq (i INTEGER PRIMARY KEY);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
        INSERT INTO seq(i) SELECT i FROM n;
        """
    )


@migrations(name="0004_letter_typo_index")
def letter_typo_index(db: Database) -> None:
    """A typo index over the letters of notable places' names, for two-letter typos.

    ``skel_delete`` reaches a skeleton one edit away. Two typed letters wrong (Luoyyn for
    Luoyang) need more on the stored side: for each name of a notable place (the search
    layer decides which), in an alphabet whose letters are typed one by one, the letters
    of its plain key are cut in three parts A·B·C; ``letter_typo`` holds A·B and B·C,
    each also with one letter deleted, and A…C (tagged ``<``, ``>`` and ``=``, with the
    letter count ``len``). A name within two edits of the query shares one of those with
    it. Derived data, filled by the search layer (``gazetteer.search``).
    """
    db.executescript(
        """
        CREATE TABLE letter_typo (
            part  TEXT NOT NULL,     -- tag and part of the letters (see above)
            len   INTEGER NOT NULL,  -- how many letters the whole name has
            plain TEXT NOT NULL,     -- the name's plain key (name_key kind 'plain')
            PRIMARY KEY (part, len, plain)
        ) WITHOUT ROWID;
        """
    )
