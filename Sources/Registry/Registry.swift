// Registry: the shared record of the joint-supervision cycle.
//
// directory → scores → plan → findings → disposal → publication → next period's scores.
//
// Three layers, each depending on the one below:
//
// - Use cases (`UseCases/`, engine-neutral): `Workspace` and its extensions hold every rule — located validation of
//   import files (`importCSV`, formats in `ImportKind`; `importCity` through the Supervision readers of each city
//   file), draws (`recordDraw` of a `Plan` or of a `DrawnPlan`, one plan per scenario and period), findings and
//   disposals, department grades with `JointSanctions`, disclosure deadlines (`DisclosureCalendar` on
//   Supervision's `WorkingDayCalendar`), next period's features and their ageing, indicators (INDICATORS.md),
//   export, the audit log, and `planningInputs(for:)` (what a plan needs from the workspace).
// - The storage protocol (`Storage/`): `RegistryStore` with its read and write transactions (`RegistryReader`,
//   `RegistryWriter`), shaped by those use cases, answering with plain facts (`CheckFacts`, `FindingTally`, …). Its
//   doc comment is the contract an engine keeps: atomic writes, serializable writers, snapshot reads, bounded
//   waits, errors as `RegistryError`s.
// - The SQLite engine (`SQLite/`): `SQLiteStore` on GRDB — versioned migrations (schema version 3), records with
//   typed columns (dates as `YYYY-MM-DD`, grades, periods and keys as text), the file-header check that refuses a
//   file that is not a workspace before SQLite touches it, read-only and immutable opens, and the one place where
//   SQLite's errors become `RegistryError`s (`SQLiteErrors`).
//
// Domain values (dates, periods, grades, credit codes, keys, quotas, caps, the roster) are Supervision's.
