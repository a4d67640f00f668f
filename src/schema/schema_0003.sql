-- Schema version 3: values of pairs, flags on values, and US Census partner
-- codes in the crosswalk (docs/store.md, docs/importers.md).
--
-- 1. country_codes gains the code system 'census' (the US Census Bureau's
--    partner-country codes of its trade statistics).  SQLite cannot change a
--    CHECK constraint in place, so the table is rebuilt; nothing refers to it.
CREATE TABLE country_codes_v3 (
  system TEXT NOT NULL CHECK (system IN ('iso3','iso2','iso3n','cown','cowc','wb','census')),
  key TEXT NOT NULL,
  code TEXT NOT NULL REFERENCES countries(code) ON DELETE CASCADE,
  start_year INTEGER, end_year INTEGER,
  note TEXT
);
INSERT INTO country_codes_v3(system, key, code, start_year, end_year, note)
  SELECT system, key, code, start_year, end_year, note FROM country_codes;
DROP TABLE country_codes;
ALTER TABLE country_codes_v3 RENAME TO country_codes;
CREATE INDEX country_codes_key ON country_codes(system, key);

-- 2. A value may carry flags: a short, documented, comma-separated text such
--    as 'estimate' or 'uncertain' (SIPRI's marks), 'partial:1-6' (a year the
--    source covers only in part, here January to June), 'snapshot' (a table
--    of one date, not a yearly series).  NULL: a plain value.
ALTER TABLE indicator_values ADD COLUMN flag TEXT;

-- 3. Values of a pair: a country and a partner, e.g. US goods imports from
--    China (country USA, partner CHN) or the assessed contributions of the
--    United States to WHO (country USA, partner 'WHO').  The series says what
--    the partner is (series.partner_kind): a country code of the crosswalk or
--    the code of an organisation as its source writes it.
ALTER TABLE series ADD COLUMN partner_kind TEXT;

CREATE TABLE pair_values (
  series TEXT NOT NULL,
  country TEXT NOT NULL REFERENCES countries(code),
  partner TEXT NOT NULL,
  year INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  vintage TEXT NOT NULL,
  flag TEXT,
  PRIMARY KEY (series, country, partner, year, source_id)
) WITHOUT ROWID;
CREATE INDEX pair_values_source ON pair_values(source_id);
CREATE INDEX pair_values_partner ON pair_values(series, partner, year);

-- The views for R/Python: values with their source and flags.
DROP VIEW indicators;
CREATE VIEW indicators AS
  SELECT v.country, v.year, v.series, v.value, v.unit,
         s.kind || ':' || s.name AS source, v.vintage, v.source_id, v.flag
  FROM indicator_values v JOIN sources s ON s.id = v.source_id;
CREATE VIEW pairs AS
  SELECT v.country, v.partner, v.year, v.series, v.value, v.unit,
         s.kind || ':' || s.name AS source, v.vintage, v.source_id, v.flag
  FROM pair_values v JOIN sources s ON s.id = v.source_id;
