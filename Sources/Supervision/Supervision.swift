// Supervision: the domain of joint supervision, defined once for every engine module.
//
// - Calendar: `CalendarDate` (the one date type), `Period` (a quarter), `WorkingDayCalendar`.
// - Directory: `Department`, `Scenario`, `Item` (with `Element`, `Measure`), `District`, `Inspector`, typed keys
//   (`DepartmentCode`, `ScenarioCode`, `ItemCode`, `InspectorID`, `DistrictCode`, `EntityID`,
//   `DirectoryMembership`), `CreditCode` (GB 32100-2015).
// - Quotas: `Grade` (A–D, ordered by risk), `Stratum`, `SampleSize`, `Quota`, `Cap`, `Caps`.
// - City files: one reader and one writer per file of a city directory (`DepartmentsFile`, `DistrictsFile`,
//   `ScenariosFile`, `ItemsFile`, `CapsFile`, `QuotasFile`, `InspectorsFile`, `EntitiesFile`), all reporting bad
//   input as `file:line:column` through `CityRow`.
//
// Depends on Tables only; Planning, Registry, SyntheticCity, Fitting and the command line depend on it.
