// Registry: the shared record of the joint-supervision cycle, in one SQLite workspace file.
//
// directory → scores → plan → findings → disposal → publication → next period's scores.
//
// - `Workspace`: create (`onecheck init`) / open an SQLite file through a GRDB `DatabasePool` (WAL: readers never
//   block the writer, a killed writer leaves the last committed state). Versioned migrations
//   (`Workspace+Migrations.swift`); the version lives in `PRAGMA user_version`, and a file from a newer build is
//   refused with `RegistryError.schemaTooNew`.
// - Tables (schema version 1; version 2 adds departments.risk_head, workspace_settings, feature_columns,
//   entity_features and department_grades): departments, scenarios, items, entities, directory_memberships, inspectors,
//   quotas, plans, checks, findings, disposals, publications, audit_log (append-only: triggers RAISE on UPDATE
//   and DELETE). Every draw and every refused repeated draw is in the audit log.
// - Import (`ImportKind` documents every CSV format): one transaction per file, upsert by key, unified social
//   credit codes checked (`UnifiedSocialCreditCode`, GB 32100-2015), errors as `TableError` with file, line,
//   column, value and expected form. Export: `exportAll(to:)`, every table to CSV, atomically.
// - The synthetic city's own files: `importCity(from:)` (a whole directory, one transaction), `importDraw` (the
//   output of `onecheck plan`), `importScores(from:period:)` (department grades with joint sanctions).
// - Closed loop: `recordFindings`, `recordDisposals`, `nextPeriodFeatures(asOf:)`, `JointSanctions`,
//   `exportScoringEntities(period:)` (next period's entities file for `onecheck score`), `gradeMoves`.
// - Publication: `publish(on:…)` (no personal data), `DisclosureCalendar` (20 working days), `overdueResults`.
// - Indicators: `indicators()`; definitions in INDICATORS.md.
