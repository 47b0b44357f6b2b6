extension SQLiteStore {
    /// Version 4 (migration `v4-credit-repair`): penalty decisions and credit repairs (CREDIT_REPAIR.md).
    ///
    /// - `penalty_decisions`: a finding's penalty severity (`minor`, `general`, `serious`) and decision day, from
    ///   which its publication window runs. A penalty record without a row here has the presumed severity of its
    ///   outcome and the check's day (`PenaltySeverity.presumed(for:)`), so a workspace migrated from version 3
    ///   keeps every record it used.
    /// - `credit_repairs`: a repair decision on a record — its day (from which the record no longer counts), who
    ///   decided and why.
    ///
    /// Both are keyed by the finding they qualify and refer to it. Only new tables: the migration copies nothing
    /// and touches no existing row.
    static let schemaCreditRepair = """
    CREATE TABLE penalty_decisions (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('minor','general','serious')),
        decided_on TEXT NOT NULL CHECK (date(decided_on) IS decided_on),
        PRIMARY KEY (check_id, item),
        FOREIGN KEY (check_id, item) REFERENCES findings(check_id, item)
    ) WITHOUT ROWID;
    CREATE TABLE credit_repairs (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        repaired_on TEXT NOT NULL CHECK (date(repaired_on) IS repaired_on),
        decided_by TEXT NOT NULL CHECK (decided_by <> ''),
        reason TEXT NOT NULL CHECK (reason <> ''),
        PRIMARY KEY (check_id, item),
        FOREIGN KEY (check_id, item) REFERENCES findings(check_id, item)
    ) WITHOUT ROWID;
    """
}
