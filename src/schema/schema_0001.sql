-- orderlab store schema, version 1 (PRAGMA user_version = 1).
-- docs/store.md documents every table and column; keep the two in step.
-- Country codes are orderlab codes (countries.code): ISO 3166-1 alpha-3 where
-- one exists, ISO 3166-3 for former states, and a few documented project
-- codes otherwise (docs/countries.md).
-- Every imported row carries source_id; deleting a source deletes its rows
-- (ON DELETE CASCADE), which is how re-importing the same source and vintage
-- replaces instead of duplicating.
-- ------------------------------------------------ bookkeeping
CREATE TABLE builtin_data (
  name TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  vintage TEXT NOT NULL,
  path TEXT,
  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  rows_read INTEGER, rows_kept INTEGER, rows_skipped INTEGER, rows_rejected INTEGER,
  note TEXT,
  UNIQUE (kind, name, vintage)
);

CREATE TABLE import_rejects (
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  line INTEGER, col INTEGER, field TEXT, message TEXT NOT NULL
);

CREATE INDEX import_rejects_source ON import_rejects(source_id);

-- ------------------------------------------------ countries
CREATE TABLE countries (
  code TEXT PRIMARY KEY,
  iso3 TEXT, iso2 TEXT, iso3n INTEGER,
  cown INTEGER, cowc TEXT, wb TEXT,
  name_en TEXT NOT NULL, name_zh TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('state','former','territory','aggregate','other')),
  start_year INTEGER, end_year INTEGER,
  successor TEXT,
  origin TEXT NOT NULL DEFAULT 'builtin' CHECK (origin IN ('builtin','override')),
  note TEXT
);

CREATE INDEX countries_iso2 ON countries(iso2);

CREATE INDEX countries_cown ON countries(cown);

CREATE INDEX countries_wb ON countries(wb);

-- COW state-system membership spells (a state may have several).
CREATE TABLE country_spells (
  code TEXT NOT NULL REFERENCES countries(code) ON DELETE CASCADE,
  cown INTEGER NOT NULL,
  start_year INTEGER NOT NULL, end_year INTEGER,
  PRIMARY KEY (code, start_year)
);

-- Codes beyond the one per system in countries (e.g. COW 260, the German
-- Federal Republic, maps to DEU in 1955-1990), with the years they apply.
CREATE TABLE country_codes (
  system TEXT NOT NULL CHECK (system IN ('iso3','iso2','iso3n','cown','cowc','wb')),
  key TEXT NOT NULL,
  code TEXT NOT NULL REFERENCES countries(code) ON DELETE CASCADE,
  start_year INTEGER, end_year INTEGER,
  note TEXT
);

CREATE INDEX country_codes_key ON country_codes(system, key);

-- Every name and alias a country is known by, normalised for lookup.
CREATE TABLE country_names (
  key TEXT NOT NULL,
  code TEXT NOT NULL REFERENCES countries(code) ON DELETE CASCADE,
  name TEXT NOT NULL,
  PRIMARY KEY (key, code)
) WITHOUT ROWID;

-- Users' corrections and additions (e.g. Kosovo), applied over the
-- built-in crosswalk; they survive reloads of the built-in table.
CREATE TABLE country_overrides (
  code TEXT PRIMARY KEY,
  iso3 TEXT, iso2 TEXT, iso3n INTEGER, cown INTEGER, cowc TEXT, wb TEXT,
  name_en TEXT NOT NULL, name_zh TEXT, kind TEXT NOT NULL DEFAULT 'state',
  start_year INTEGER, end_year INTEGER, successor TEXT, aliases TEXT, note TEXT
);

-- ------------------------------------------------ indicators
CREATE TABLE series (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  description TEXT
);

CREATE TABLE indicator_values (
  series TEXT NOT NULL,
  country TEXT NOT NULL REFERENCES countries(code),
  year INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  vintage TEXT NOT NULL,
  PRIMARY KEY (series, country, year, source_id)
) WITHOUT ROWID;

CREATE INDEX indicator_values_source ON indicator_values(source_id);

-- ------------------------------------------------ institutions
CREATE TABLE institutions (
  code TEXT PRIMARY KEY,
  name_en TEXT NOT NULL, name_zh TEXT,
  domain TEXT, form TEXT, level TEXT,
  founded INTEGER, dissolved INTEGER,
  cow_ionum INTEGER,
  note TEXT
);

CREATE TABLE memberships (
  institution TEXT NOT NULL REFERENCES institutions(code),
  country TEXT NOT NULL REFERENCES countries(code),
  year INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('full','associate','observer','none','missing')),
  PRIMARY KEY (institution, country, year, source_id)
) WITHOUT ROWID;

CREATE INDEX memberships_source ON memberships(source_id);

CREATE INDEX memberships_country ON memberships(country, year);

-- ------------------------------------------------ exit events
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL CHECK (origin IN ('builtin','user')),
  source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
  institution TEXT NOT NULL,
  institution_en TEXT NOT NULL,
  institution_zh TEXT,
  domain TEXT NOT NULL,
  form TEXT NOT NULL,
  actor TEXT NOT NULL REFERENCES countries(code),
  actor_cown INTEGER,
  counterparts TEXT,
  status_paper TEXT,
  status TEXT NOT NULL,
  announced TEXT, notified TEXT, effective TEXT,
  reversal TEXT, reversal_date TEXT,
  effect TEXT, level TEXT, means TEXT,
  in_scope INTEGER NOT NULL DEFAULT 0,
  paper_ref TEXT,
  source TEXT NOT NULL,
  note TEXT
);

-- ------------------------------------------------ UN General Assembly
CREATE TABLE roll_calls (
  rcid INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  session INTEGER NOT NULL,
  date TEXT, year INTEGER,
  important INTEGER, unres TEXT, amend INTEGER, para INTEGER,
  short TEXT, descr TEXT
);

CREATE INDEX roll_calls_session ON roll_calls(session);

CREATE INDEX roll_calls_source ON roll_calls(source_id);

CREATE TABLE roll_call_issues (
  rcid INTEGER NOT NULL,
  short_name TEXT NOT NULL,
  issue TEXT NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  PRIMARY KEY (rcid, short_name)
) WITHOUT ROWID;

CREATE INDEX roll_call_issues_source ON roll_call_issues(source_id);

-- vote: 1 yes, 2 abstain, 3 no (Voeten's coding; absent and
-- non-member are not stored).
CREATE TABLE votes (
  rcid INTEGER NOT NULL,
  country TEXT NOT NULL REFERENCES countries(code),
  vote INTEGER NOT NULL CHECK (vote IN (1,2,3)),
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  PRIMARY KEY (rcid, country)
) WITHOUT ROWID;

CREATE INDEX votes_source ON votes(source_id);

-- Ideal points: published (source_id set) or estimated here (run_id set).
CREATE TABLE ideal_points (
  estimate TEXT NOT NULL,
  country TEXT NOT NULL REFERENCES countries(code),
  period_kind TEXT NOT NULL CHECK (period_kind IN ('session','year')),
  period INTEGER NOT NULL,
  year INTEGER NOT NULL,
  value REAL NOT NULL,
  se REAL, q05 REAL, q50 REAL, q95 REAL,
  nvotes INTEGER,
  source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
  run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ideal_points_key ON ideal_points
  (estimate, country, period_kind, period, ifnull(source_id,0), ifnull(run_id,0));

CREATE INDEX ideal_points_source ON ideal_points(source_id);

-- ------------------------------------------------ runs
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  finished_at TEXT,
  status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','ok','failed')),
  scenario TEXT, seed INTEGER, params TEXT,
  program_version TEXT, note TEXT
);

-- views forR/Python
CREATE VIEW indicators AS
  SELECT v.country, v.year, v.series, v.value, v.unit,
         s.kind || ':' || s.name AS source, v.vintage, v.source_id
  FROM indicator_values v JOIN sources s ON s.id = v.source_id;

