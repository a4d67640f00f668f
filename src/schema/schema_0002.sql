-- Schema version 2: the actions of simulation runs, one row per recorded
-- event (docs/simulate.md), so that a run stored in `runs` can be queried
-- without its output directory.  `run` is the run's number within a Monte
-- Carlo (0-based); only the runs written in detail are stored.
CREATE TABLE run_events (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  run INTEGER NOT NULL,
  seq INTEGER NOT NULL,            -- order of occurrence within the run
  year INTEGER NOT NULL,
  institution TEXT NOT NULL,
  action TEXT NOT NULL,            -- threaten, renegotiate, escalate, exit, rejoin, reform_call, ...
  actor TEXT, counterpart TEXT, rival TEXT,
  means TEXT,                      -- Table 4.2 balancing means
  effect TEXT,                     -- Table 3.2 effect countered
  probability REAL,
  PRIMARY KEY (run_id, run, seq)
);
CREATE INDEX run_events_institution ON run_events(run_id, institution);
