extension PostgresStore {
    /// Version 12 (`v12-cycle-partitions`): the tables of the supervision cycle — `checks`, `findings`,
    /// `disposals`, `publications`, `penalty_decisions`, `credit_repairs` — partitioned by the jurisdiction of the
    /// check's entity like the entity tables, so that a jurisdiction's cycle (its draws, the findings and disposals
    /// its departments record, its publications, credit records and indicators) lives in its own partitions, and
    /// all twelve of a jurisdiction's partitions can be detached, moved or dropped together (SCALE.md).
    ///
    /// - `check_codes(id, entity, jurisdiction)`: one row per check, unpartitioned, keeps a check id unique across
    ///   jurisdictions (as `entity_codes` a credit code) and ties the check to its entity's jurisdiction:
    ///   `(jurisdiction, entity)` references `entity_codes` `ON UPDATE CASCADE`.
    /// - `checks` is keyed `(jurisdiction, id)` and references `check_codes(jurisdiction, id, entity)`;
    ///   `findings` and `publications` reference `check_codes(jurisdiction, id)`; `disposals`, `penalty_decisions`
    ///   and `credit_repairs` reference `findings(jurisdiction, check_id, item)` — all `ON UPDATE CASCADE`, one path
    ///   each, so an entity moved to another jurisdiction takes its checks and everything recorded about them
    ///   along (PostgreSQL moves the rows between partitions).
    /// - Each table gains `jurisdiction`, last and not exported (``partitionOnlyColumns``), and leads its key with
    ///   it; the writers take it from `check_codes` (or, for a new check, `entity_codes`) on the server.
    /// - `audit_log` stays one table: its sequence numbers are the workspace's one order of events, and a draw or
    ///   an import may concern several jurisdictions.
    static let schemaCyclePartitions = """
    CREATE TEMPORARY TABLE v11_checks ON COMMIT DROP AS SELECT * FROM checks;
    CREATE TEMPORARY TABLE v11_findings ON COMMIT DROP AS SELECT * FROM findings;
    CREATE TEMPORARY TABLE v11_disposals ON COMMIT DROP AS SELECT * FROM disposals;
    CREATE TEMPORARY TABLE v11_publications ON COMMIT DROP AS SELECT * FROM publications;
    CREATE TEMPORARY TABLE v11_penalty_decisions ON COMMIT DROP AS SELECT * FROM penalty_decisions;
    CREATE TEMPORARY TABLE v11_credit_repairs ON COMMIT DROP AS SELECT * FROM credit_repairs;
    DROP TABLE credit_repairs, penalty_decisions, disposals, publications, findings, checks;
    CREATE TABLE check_codes (
        id TEXT PRIMARY KEY NOT NULL,
        entity TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        CONSTRAINT check_codes_jurisdiction_key UNIQUE (jurisdiction, id),
        CONSTRAINT check_codes_jurisdiction_entity_key UNIQUE (jurisdiction, id, entity),
        CONSTRAINT check_codes_entity_fkey FOREIGN KEY (jurisdiction, entity)
            REFERENCES entity_codes(jurisdiction, credit_code) ON UPDATE CASCADE
    );
    CREATE TABLE checks (
        id TEXT NOT NULL,
        plan TEXT NOT NULL,
        period TEXT NOT NULL,
        entity TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES departments(code),
        inclusion_probability REAL NOT NULL CHECK (inclusion_probability > 0 AND inclusion_probability <= 1),
        checked_on TEXT NOT NULL CHECK (DATE(checked_on)),
        inspectors TEXT NOT NULL DEFAULT '',
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT checks_pkey PRIMARY KEY (jurisdiction, id),
        CONSTRAINT checks_period_plan_entity_department_key UNIQUE (period, plan, entity, department, jurisdiction),
        CONSTRAINT checks_period_plan_fkey FOREIGN KEY (period, plan) REFERENCES plans(period, id),
        CONSTRAINT checks_id_fkey FOREIGN KEY (jurisdiction, id, entity)
            REFERENCES check_codes(jurisdiction, id, entity) ON UPDATE CASCADE ON DELETE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE INDEX checks_entity ON checks(entity, checked_on);
    CREATE INDEX checks_period_department ON checks(period, department, id);
    CREATE INDEX checks_period_id ON checks(period, id);
    CREATE TABLE findings (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL REFERENCES items(code),
        outcome TEXT NOT NULL CHECK (outcome IN ('compliant','minor','serious')),
        penalty REAL NOT NULL DEFAULT 0 CHECK (penalty >= 0),
        note TEXT NOT NULL DEFAULT '',
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT findings_pkey PRIMARY KEY (jurisdiction, check_id, item),
        CONSTRAINT findings_check_id_fkey FOREIGN KEY (jurisdiction, check_id)
            REFERENCES check_codes(jurisdiction, id) ON UPDATE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE TABLE disposals (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        action TEXT NOT NULL,
        opened_on TEXT NOT NULL CHECK (DATE(opened_on)),
        closed_on TEXT CHECK (closed_on IS NULL OR (DATE(closed_on) AND closed_on >= opened_on)),
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT disposals_pkey PRIMARY KEY (jurisdiction, check_id, item),
        CONSTRAINT disposals_finding_fkey FOREIGN KEY (jurisdiction, check_id, item)
            REFERENCES findings(jurisdiction, check_id, item) ON UPDATE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE TABLE publications (
        check_id TEXT NOT NULL,
        published_on TEXT NOT NULL CHECK (DATE(published_on)),
        deadline TEXT NOT NULL CHECK (DATE(deadline)),
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT publications_pkey PRIMARY KEY (jurisdiction, check_id),
        CONSTRAINT publications_check_id_fkey FOREIGN KEY (jurisdiction, check_id)
            REFERENCES check_codes(jurisdiction, id) ON UPDATE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE TABLE penalty_decisions (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('minor','general','serious')),
        decided_on TEXT NOT NULL CHECK (DATE(decided_on)),
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT penalty_decisions_pkey PRIMARY KEY (jurisdiction, check_id, item),
        CONSTRAINT penalty_decisions_finding_fkey FOREIGN KEY (jurisdiction, check_id, item)
            REFERENCES findings(jurisdiction, check_id, item) ON UPDATE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE TABLE credit_repairs (
        check_id TEXT NOT NULL,
        item TEXT NOT NULL,
        repaired_on TEXT NOT NULL CHECK (DATE(repaired_on)),
        decided_by TEXT NOT NULL CHECK (decided_by <> ''),
        reason TEXT NOT NULL CHECK (reason <> ''),
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT credit_repairs_pkey PRIMARY KEY (jurisdiction, check_id, item),
        CONSTRAINT credit_repairs_finding_fkey FOREIGN KEY (jurisdiction, check_id, item)
            REFERENCES findings(jurisdiction, check_id, item) ON UPDATE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE OR REPLACE FUNCTION onecheck_jurisdiction_partitions(codes text[]) RETURNS void LANGUAGE plpgsql AS $$
    declare
        code text collate "C";
        n bigint;
    begin
        foreach code in array codes loop
            continue when exists (select 1 from jurisdiction_partitions p where p.jurisdiction = code);
            select coalesce(max(p.number), 0) + 1 into n from jurisdiction_partitions p;
            insert into jurisdiction_partitions(jurisdiction, number) values (code, n);
            perform onecheck_attach_partitions(code, n,
                array['entities', 'directory_memberships', 'entity_features', 'department_grades',
                      'inspectors', 'stratum_quotas', 'checks', 'findings', 'disposals', 'publications',
                      'penalty_decisions', 'credit_repairs']);
        end loop;
    end $$;
    SELECT onecheck_attach_partitions(jurisdiction, number,
        array['checks', 'findings', 'disposals', 'publications', 'penalty_decisions', 'credit_repairs'])
        FROM jurisdiction_partitions ORDER BY number;
    INSERT INTO check_codes(id, entity, jurisdiction)
        SELECT c.id, c.entity, e.jurisdiction FROM v11_checks c JOIN entity_codes e ON e.credit_code = c.entity;
    INSERT INTO checks(id, plan, period, entity, department, inclusion_probability, checked_on, inspectors, jurisdiction)
        SELECT c.id, c.plan, c.period, c.entity, c.department, c.inclusion_probability, c.checked_on, c.inspectors,
               k.jurisdiction
        FROM v11_checks c JOIN check_codes k ON k.id = c.id;
    INSERT INTO findings(check_id, item, outcome, penalty, note, jurisdiction)
        SELECT f.check_id, f.item, f.outcome, f.penalty, f.note, k.jurisdiction
        FROM v11_findings f JOIN check_codes k ON k.id = f.check_id;
    INSERT INTO disposals(check_id, item, action, opened_on, closed_on, jurisdiction)
        SELECT d.check_id, d.item, d.action, d.opened_on, d.closed_on, k.jurisdiction
        FROM v11_disposals d JOIN check_codes k ON k.id = d.check_id;
    INSERT INTO publications(check_id, published_on, deadline, jurisdiction)
        SELECT u.check_id, u.published_on, u.deadline, k.jurisdiction
        FROM v11_publications u JOIN check_codes k ON k.id = u.check_id;
    INSERT INTO penalty_decisions(check_id, item, severity, decided_on, jurisdiction)
        SELECT p.check_id, p.item, p.severity, p.decided_on, k.jurisdiction
        FROM v11_penalty_decisions p JOIN check_codes k ON k.id = p.check_id;
    INSERT INTO credit_repairs(check_id, item, repaired_on, decided_by, reason, jurisdiction)
        SELECT r.check_id, r.item, r.repaired_on, r.decided_by, r.reason, k.jurisdiction
        FROM v11_credit_repairs r JOIN check_codes k ON k.id = r.check_id;
    """
}
