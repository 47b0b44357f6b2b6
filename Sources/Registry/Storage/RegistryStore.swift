import Supervision

/// The storage of a workspace: the tables of the supervision cycle behind the operations its use cases need.
///
/// `Workspace` holds the rules — validation with located errors, joint sanctions, disclosure deadlines, feature
/// ageing, indicator definitions — and speaks to its store only through this protocol and the two transaction
/// protocols, ``RegistryReader`` and ``RegistryWriter``. An engine (SQLite through GRDB: `SQLiteStore`; PostgreSQL
/// later) implements persistence and queries and nothing else, so a second engine copies no rules and passes the
/// same test suite.
///
/// ## Contract
/// - **Schema.** The engine creates and migrates the schema of ``Workspace/schemaVersion`` (the tables of
///   ``RegistryTable/all``, with their columns and keys) and refuses a store written by a newer schema with
///   `RegistryError.schemaTooNew`, changing nothing.
/// - **Atomicity.** ``write(_:)`` runs its body in one transaction: when the body returns, everything it wrote
///   commits together; when it throws — or the process dies at any point — the store is as it was before. A
///   use case that must record something even when it fails (a refused re-draw in the audit log) does so in a
///   second `write`.
/// - **Isolation.** Each `write` behaves as if it ran alone (serializable): no interleaving of two writers can
///   produce a state that running them one after another could not. An engine may get there by one writer at a
///   time (SQLite: a writer waits up to its configured time for the one before it) or by detecting conflicts and
///   running the body again (PostgreSQL's SERIALIZABLE with retries); the body must therefore have no effect
///   outside the transaction that cannot be repeated (reading its input file again is fine). ``read(_:)`` sees
///   one consistent snapshot of committed data for its whole body, and never waits for a writer; reads inside a
///   write transaction see that transaction's own writes.
/// - **Waiting.** A writer that cannot start within the store's wait fails with `RegistryError.workspaceBusy`;
///   a store opened read-only fails every `write` with `RegistryError.workspaceReadOnly`.
/// - **Errors.** Every failure of the engine (a locked, read-only, corrupt or missing file, a full disk, a lost
///   connection) is thrown as a `RegistryError` that names the store's ``location`` and says what to do; the
///   engine's own errors never reach a caller. Errors thrown by a body pass through unchanged.
/// - **No rules.** The engine checks nothing the use cases check (references, dates, grades, quotas): it stores
///   the values it is given. Its schema constraints are a last line of defence, not the rules.
/// - **Order.** Lists are returned in the order each method states; keys compare by their UTF-8 bytes (SQLite's
///   `BINARY` collation, PostgreSQL's `COLLATE "C"`).
public protocol RegistryStore: Sendable {
    /// Where the store lives, as messages name it: a file path, or a connection URL without its password.
    var location: String { get }
    /// Whether the store was opened for reading only.
    var isReadOnly: Bool { get }
    /// The schema version stored.
    func schemaVersion() throws -> Int
    /// Runs `body` on one consistent snapshot.
    func read<T>(_ body: (any RegistryReader) throws -> T) throws -> T
    /// Runs `body` in one write transaction (see the contract above).
    func write<T>(_ body: (any RegistryWriter) throws -> T) throws -> T
    /// Runs `body` in one write transaction, as ``write(_:)``, for a load of many rows: the engine may check the
    /// references between tables (foreign keys) once, after `body` returns, instead of at every row it writes. A
    /// reference that fails then fails the whole write, with the error a failed reference gets from `write`, and
    /// the store is left as it was. `body` must delete or re-key no row that other rows refer to: cascades may not
    /// run meanwhile. The engine may also write in a way that makes other connections wait for the whole load
    /// (SQLite: a rollback journal, when no other connection has the workspace open). Engines without such a mode
    /// run ``write(_:)`` (the default implementation).
    func bulkWrite<T>(_ body: (any RegistryWriter) throws -> T) throws -> T
}

extension RegistryStore {
    public func bulkWrite<T>(_ body: (any RegistryWriter) throws -> T) throws -> T { try write(body) }
}

/// The queries of a transaction. Every method reads committed data as of the transaction's snapshot (and the
/// transaction's own writes).
public protocol RegistryReader {
    // MARK: Directory

    /// Every department, by code; a department stored without a risk head has ``Department/defaultRiskHead(_:)``.
    func departments() throws -> [Department]
    /// Every scenario with its partners (in stored order), by code.
    func scenarios() throws -> [Scenario]
    /// Every item, by code.
    func items() throws -> [Item]
    /// The entity `code`, or nil.
    func entity(_ code: CreditCode) throws -> Entity?
    /// The directory entry of each of `codes` that is in the directory (missing ones are absent from the result).
    func directoryEntries(of codes: [CreditCode]) throws -> [CreditCode: DirectoryEntry]
    /// Calls `body` for every entity `selection` covers, by credit code.
    func forEachEntity(_ selection: EntitySelection, _ body: (Entity) throws -> Void) throws
    /// Calls `body` for every directory membership, by department, then entity.
    func forEachMembership(_ body: (DepartmentCode, CreditCode) throws -> Void) throws
    /// The number of entities of each scenario in each department's directory.
    func directorySizes() throws -> [DirectoryScope: Int]
    /// Every inspector on the roster of `selection` (every roster for `.all`), with the roster fields, by id.
    func inspectors(of selection: EntitySelection) throws -> [Inspector]
    /// Each inspector's department.
    func inspectorDepartments() throws -> [InspectorID: DepartmentCode]
    /// The quotas of `selection` (every jurisdiction's for `.all`) as the city gave them, by jurisdiction, then
    /// department, then grade.
    func quotas(of selection: EntitySelection) throws -> [Quota]
    /// The caps, `all` first, then by department.
    func caps() throws -> [Cap]
    /// The feature columns of the imported entities, in file order; empty before a city import.
    func featureColumns() throws -> [String]
    /// A workspace setting, or nil.
    func setting(_ key: WorkspaceSetting) throws -> String?
    /// Calls `body` for every entity that has stored features, by credit code.
    func forEachStoredFeatures(_ body: (StoredFeatures) throws -> Void) throws

    // MARK: Draws and checks

    /// The plans of `scenario` in `period`, of every jurisdiction (at most one each), in jurisdiction order.
    func plans(scenario: ScenarioCode, period: Period) throws -> [ScenarioPlan]
    /// The plan named `id` in `period`, or nil.
    func plan(id: PlanID, period: Period) throws -> ScenarioPlan?
    /// The recorded checks among `ids` (missing ones are absent from the result).
    func checks(_ ids: [CheckID]) throws -> [CheckID: RecordedCheck]
    /// The checks of plans of the periods `periods` whose entity `selection` covers (by the entity's jurisdiction
    /// now, not when it was checked), by id.
    func checks(inPeriods periods: [Period], of selection: EntitySelection) throws -> [RecordedCheck]
    /// The findings recorded for `(check, item)` among `keys` (missing ones are absent from the result).
    func findings(_ keys: [FindingKey]) throws -> [FindingKey: Finding]
    /// The facts of every selected check, by check id.
    func checkFacts(_ selection: CheckSelection) throws -> [CheckFacts]

    // MARK: History

    /// Each entity's checks made before `day`.
    func checkHistory(before day: CalendarDate) throws -> [CreditCode: CheckHistory]
    /// Disposals opened before `day` and not closed by then, counted per entity.
    func openDisposals(on day: CalendarDate) throws -> [CreditCode: Int]

    // MARK: Credit records

    /// The penalty records of `selection` — findings that are minor or serious, or carry a penalty > 0 — with their
    /// check's entity, department and day, the item's element, the disposal's state, and the stored penalty
    /// decision and credit repair (nil when none); by check id, then item.
    func penaltyRecords(_ selection: PenaltyRecordSelection) throws -> [PenaltyRecord]
    /// The penalty records among `keys` (findings that are no penalty record, and missing ones, are absent).
    func penaltyRecords(of keys: [FindingKey]) throws -> [FindingKey: PenaltyRecord]

    // MARK: Grades

    /// The latest period before `period` that has department grades, or nil.
    func latestGradedPeriod(before period: Period) throws -> Period?
    /// The department grades of `period` for the entities `codes`.
    func departmentGrades(period: Period, of codes: [CreditCode]) throws -> [DepartmentGrade]
    /// Calls `body` for every department grade of `period` of an entity `selection` covers, by department, then
    /// entity.
    func forEachDepartmentGrade(period: Period, of selection: EntitySelection,
                                _ body: (DepartmentGrade) throws -> Void) throws
    /// Calls `body` for every (department, entity) graded in both periods, with both grades (after sanctions).
    func forEachGradePair(from: Period, to: Period, _ body: (DepartmentCode, CreditCode, Grade, Grade) throws -> Void) throws

    // MARK: Export and audit

    /// The column names of `table`, then calls `body` with every row in the table's order.
    func forEachRow(of table: RegistryTable, header: ([String]) throws -> Void,
                    _ body: ([StoredValue]) throws -> Void) throws
    /// The audit log, oldest first.
    func auditLog() throws -> [AuditEntry]
    /// At most `limit` lines of the audit log before `seq` (nil: from the newest), newest first.
    func auditPage(before seq: Int64?, limit: Int) throws -> [AuditEntry]

    // MARK: Console

    /// Every plan, by period, then scenario.
    func plans() throws -> [ScenarioPlan]
    /// A page of checks (see ``CheckPageQuery``), in check-id order.
    func checkPage(_ query: CheckPageQuery) throws -> [CheckListing]
    /// The findings of `check`, by item.
    func findings(ofCheck check: CheckID) throws -> [Finding]
    /// The disposals of `check`, by item.
    func disposals(ofCheck check: CheckID) throws -> [Disposal]
    /// Every department grade of `entity`, by period, then department.
    func departmentGrades(of entity: CreditCode) throws -> [DepartmentGrade]
    /// The periods that have department grades, oldest first.
    func gradedPeriods() throws -> [Period]
    /// The number of entities per department and grade (after sanctions) in `period`.
    func gradeCounts(period: Period) throws -> [GradeCount]
    /// The stored probabilities of `period` counted in `bins` equal bins of [0, 1] (the last bin holds 1), per
    /// department; index i counts probabilities in [i/bins, (i+1)/bins).
    func probabilityHistogram(period: Period, bins: Int) throws -> [DepartmentCode: [Int]]
    /// The performed checks of plans of `period` whose department graded the entity with a probability for
    /// `period`, by check id.
    func calibrationPoints(period: Period) throws -> [CalibrationPoint]
    /// The stored feature fields of `entity`, or nil.
    func storedFeatures(of entity: CreditCode) throws -> StoredFeatures?
    /// The account named `name`, or nil.
    func user(named name: String) throws -> UserAccount?
    /// Every account, by name.
    func users() throws -> [UserAccount]
    /// The session whose token digest is `digest`, or nil.
    func session(digest: String) throws -> StoredSession?
    /// The latest audit sequence number (0 when the log is empty): any change made through the use cases
    /// appends a line, so a cache keyed by it is current.
    func latestAuditSeq() throws -> Int64
}

/// The writes of a transaction. Upserts replace a row with the same key and insert otherwise.
public protocol RegistryWriter: RegistryReader {
    // MARK: Directory

    /// Upserts a department; `riskHead` nil keeps the stored risk head (empty for a new department).
    func upsertDepartment(code: DepartmentCode, name: String, riskHead: String?) throws
    /// Upserts a scenario; `partners` replaces the stored partners, nil keeps them.
    func upsertScenario(code: ScenarioCode, name: String, lead: DepartmentCode, partners: [DepartmentCode]?) throws
    /// Upserts an item.
    /// - Precondition: `item.element` and `item.measure` are not nil.
    func upsertItem(_ item: Item) throws
    /// Upserts entities with their memberships and features (see ``EntityUpsert``).
    func upsertEntities(_ entities: [EntityUpsert]) throws
    /// Runs `body`, a bulk load of entities (`upsertEntities` with large batches, e.g. a whole city), in this
    /// transaction. The engine may prepare for it — defer the maintenance of secondary indexes until `body`
    /// returns, enlarge its caches — but the rows written, the constraints checked and the errors thrown are
    /// those of running `body` alone, and when `body` throws the engine is left as it would be without the call
    /// (the caller then rolls the transaction back as usual). Engines with nothing to prepare run `body` (the
    /// default implementation).
    func bulkLoad<T>(_ body: () throws -> T) throws -> T
    /// Inside ``bulkLoad(_:)``: `entities` will be written by `upsertEntities` later in the same bulk load, named
    /// now so that the engine may index their names while the caller is still reading the rest of its input,
    /// instead of reading every name back after `body`. The caller names each entity it writes exactly once.
    /// Changes nothing an engine reads back: the rows and the search index after the bulk load are those of the
    /// writes alone. Engines that index names otherwise ignore it (the default implementation).
    func announceEntities(_ entities: [EntityUpsert]) throws
    /// Adds memberships; existing ones are kept.
    func addMemberships(_ memberships: [DirectoryMembership]) throws
    /// Upserts an inspector: with `roster` every field of ``Inspector``; without, only the name, department and
    /// conflicts (the registry's `inspectors` table format), keeping the stored roster fields.
    func upsertInspector(_ inspector: Inspector, roster: Bool) throws
    /// Upserts `inspectors` in order, as ``upsertInspector(_:roster:)`` each (a repeated id: its last row wins);
    /// an engine may write them in one statement.
    func upsertInspectors(_ inspectors: [Inspector], roster: Bool) throws
    /// Upserts quotas by stratum.
    func upsertQuotas(_ quotas: [Quota]) throws
    /// Upserts the version-1 sampling ratios by (department, scenario, grade).
    func upsertSamplingRatios(_ ratios: [SamplingRatio]) throws
    /// Upserts caps by scope.
    func upsertCaps(_ caps: [Cap]) throws
    /// Records the feature columns of the entities' stored features.
    /// - Precondition: none are stored yet.
    func setFeatureColumns(_ names: [String]) throws
    func setSetting(_ key: WorkspaceSetting, to value: String) throws

    // MARK: Cycle

    /// Inserts a plan and its checks.
    /// - Precondition: neither the plan's (scenario, period) nor its (id, period) nor any check id is taken.
    func insertDraw(_ plan: ScenarioPlan, checks: [Check]) throws
    /// Upserts findings by (check, item).
    func upsertFindings(_ findings: [Finding]) throws
    /// Upserts disposals by (check, item).
    func upsertDisposals(_ disposals: [Disposal]) throws
    /// Inserts publications.
    /// - Precondition: none of the checks is published yet.
    func insertPublications(_ publications: [Publication]) throws
    /// Upserts penalty decisions by (check, item).
    /// - Precondition: each names a finding.
    func upsertPenaltyDecisions(_ decisions: [PenaltyDecision]) throws
    /// Upserts credit repairs by (check, item).
    /// - Precondition: each names a finding.
    func upsertCreditRepairs(_ repairs: [CreditRepair]) throws
    /// Removes every department grade of `period`.
    func deleteDepartmentGrades(period: Period) throws
    /// Inserts department grades.
    /// - Precondition: none of their (period, department, entity) is stored.
    func insertDepartmentGrades(_ grades: [DepartmentGrade]) throws
    /// Appends a line to the audit log and returns its sequence number.
    @discardableResult
    func appendAudit(_ entry: AuditEntry) throws -> Int64

    // MARK: Console

    /// Inserts an account.
    /// - Precondition: no account has the name.
    func insertUser(_ user: UserAccount) throws
    /// Enables or disables an account.
    func setUserDisabled(_ name: String, disabled: Bool) throws
    /// Inserts a session.
    func insertSession(_ session: StoredSession) throws
    /// Removes the session whose token digest is `digest` (nothing when there is none).
    func deleteSession(digest: String) throws
    /// Removes every session of `user`.
    func deleteSessions(ofUser user: String) throws
    /// Removes the sessions expired at `instant` (ISO 8601, UTC).
    func deleteSessions(expiredAt instant: String) throws
}

/// The key of a finding.
public struct FindingKey: Hashable, Sendable {
    public var check: CheckID
    public var item: ItemCode

    public init(check: CheckID, item: ItemCode) {
        self.check = check
        self.item = item
    }
}

/// The settings a workspace keeps.
public enum WorkspaceSetting: String, Sendable, CaseIterable {
    /// The day the stored features describe (the city's snapshot), `YYYY-MM-DD`.
    case featuresAsOf = "features_as_of"
}

extension RegistryWriter {
    public func bulkLoad<T>(_ body: () throws -> T) throws -> T { try body() }

    public func announceEntities(_ entities: [EntityUpsert]) throws {}

    public func upsertInspectors(_ inspectors: [Inspector], roster: Bool) throws {
        for inspector in inspectors { try upsertInspector(inspector, roster: roster) }
    }
}

extension RegistryReader {
    /// Calls `body` for every entity, by credit code.
    public func forEachEntity(_ body: (Entity) throws -> Void) throws { try forEachEntity(.all, body) }

    /// Every inspector with the roster fields, by id.
    public func inspectors() throws -> [Inspector] { try inspectors(of: .all) }

    /// Every quota as the city gave it, by jurisdiction, then department, then grade.
    public func quotas() throws -> [Quota] { try quotas(of: .all) }

    /// The checks of plans of the periods `periods`, by id.
    public func checks(inPeriods periods: [Period]) throws -> [RecordedCheck] { try checks(inPeriods: periods, of: .all) }

    /// Calls `body` for every department grade of `period`, by department, then entity.
    public func forEachDepartmentGrade(period: Period, _ body: (DepartmentGrade) throws -> Void) throws {
        try forEachDepartmentGrade(period: period, of: .all, body)
    }
}
