extension PostgresStore {
    /// Columns of a partitioned table that exist for partitioning only: not in SQLite's table, so not exported
    /// (`export` writes the same columns on both engines).
    static let partitionOnlyColumns: [String: Set<String>] = [
        "department_grades": ["jurisdiction"], "directory_memberships": ["jurisdiction"],
        "entity_features": ["jurisdiction"], "checks": ["jurisdiction"], "findings": ["jurisdiction"],
        "disposals": ["jurisdiction"], "publications": ["jurisdiction"], "penalty_decisions": ["jurisdiction"],
        "credit_repairs": ["jurisdiction"],
    ]

    /// Version 8 (`v8-jurisdiction-partitions`, issue 18 §3): the tables that grow with the entities are
    /// `PARTITION BY LIST (jurisdiction)`, one partition per jurisdiction, so that what one jurisdiction reads and
    /// writes — its import, its directory, its plan's frame — touches only its partitions, and a jurisdiction can
    /// be detached, moved or dropped on its own (SCALE.md).
    ///
    /// - `entity_codes(credit_code, jurisdiction)`: one row per entity, unpartitioned. PostgreSQL requires the
    ///   partition key in every unique key of a partitioned table, so a credit code's uniqueness across
    ///   jurisdictions — the registry's identity of an entity, as in SQLite — is kept here, and the tables that
    ///   reference an entity by its code alone (`checks`, `department_grades`) reference this one.
    /// - `entities`, keyed `(jurisdiction, credit_code)`, and `directory_memberships` and `entity_features`, which
    ///   gain a `jurisdiction` column (last; not exported) and lead their keys with it. Each references
    ///   `entity_codes(jurisdiction, credit_code)` with `ON UPDATE CASCADE`: moving an entity to another
    ///   jurisdiction is one update of its `entity_codes` row, and PostgreSQL moves its rows between partitions.
    /// - Partitions are named `<table>_j<n>`, `n` the jurisdiction's number in `jurisdiction_partitions` (never
    ///   its code, which is input), and made by `onecheck_jurisdiction_partitions(codes)`, which the writers call
    ///   before a jurisdiction's first row (``PostgresTransaction/preparePartitions(_:)``). The implicit
    ///   jurisdiction `''` (a city file without the column) has its partitions from the start. A partition is
    ///   made as a table of the parent's shape and then attached: `ATTACH PARTITION` locks the parent in SHARE
    ///   UPDATE EXCLUSIVE mode, which readers do not wait for, where `CREATE TABLE … PARTITION OF` would lock it
    ///   ACCESS EXCLUSIVE until the import that brought the jurisdiction commits. There is no
    ///   DEFAULT partition: a row of a jurisdiction without partitions is refused rather than kept where a later
    ///   partition could not be made.
    ///
    /// Every statement text is PostgreSQL's own after ``dialect(_:)``; the function's body is written in lower
    /// case so that the dialect's rewriting of `TEXT` and `INTEGER` leaves it alone.
    static let schemaPartitions = """
    CREATE TEMPORARY TABLE v7_entities ON COMMIT DROP AS SELECT * FROM entities;
    CREATE TEMPORARY TABLE v7_memberships ON COMMIT DROP AS SELECT * FROM directory_memberships;
    CREATE TEMPORARY TABLE v7_features ON COMMIT DROP AS SELECT * FROM entity_features;
    DROP TABLE entity_features, directory_memberships, entities CASCADE;
    CREATE TABLE entity_codes (
        credit_code TEXT PRIMARY KEY NOT NULL,
        jurisdiction TEXT NOT NULL,
        CONSTRAINT entity_codes_jurisdiction_key UNIQUE (jurisdiction, credit_code)
    );
    CREATE TABLE entities (
        credit_code TEXT NOT NULL CHECK (length(credit_code) = 18),
        name TEXT NOT NULL,
        scenario TEXT NOT NULL REFERENCES scenarios(code),
        district TEXT NOT NULL DEFAULT '',
        legal_representative TEXT NOT NULL DEFAULT '',
        credit_grade TEXT NOT NULL CHECK (credit_grade IN ('A','B','C','D')),
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT entities_pkey PRIMARY KEY (jurisdiction, credit_code),
        CONSTRAINT entities_credit_code_fkey FOREIGN KEY (jurisdiction, credit_code)
            REFERENCES entity_codes(jurisdiction, credit_code) ON UPDATE CASCADE ON DELETE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE TABLE directory_memberships (
        department TEXT NOT NULL REFERENCES departments(code),
        entity TEXT NOT NULL,
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT directory_memberships_pkey PRIMARY KEY (jurisdiction, department, entity),
        CONSTRAINT directory_memberships_entity_fkey FOREIGN KEY (jurisdiction, entity)
            REFERENCES entity_codes(jurisdiction, credit_code) ON UPDATE CASCADE ON DELETE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE TABLE entity_features (
        entity TEXT NOT NULL,
        feature_values TEXT NOT NULL,
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT entity_features_pkey PRIMARY KEY (jurisdiction, entity),
        CONSTRAINT entity_features_entity_fkey FOREIGN KEY (jurisdiction, entity)
            REFERENCES entity_codes(jurisdiction, credit_code) ON UPDATE CASCADE ON DELETE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE INDEX entities_credit_code ON entities(credit_code);
    CREATE INDEX entities_scenario ON entities(scenario);
    CREATE INDEX entities_name ON entities(name);
    CREATE INDEX directory_memberships_entity ON directory_memberships(entity);
    CREATE INDEX entity_features_entity ON entity_features(entity);
    CREATE TABLE jurisdiction_partitions (
        jurisdiction TEXT PRIMARY KEY NOT NULL,
        number INTEGER NOT NULL UNIQUE CHECK (number > 0)
    );
    CREATE FUNCTION onecheck_jurisdiction_partitions(codes text[]) RETURNS void LANGUAGE plpgsql AS $$
    declare
        code text collate "C";
        parent text;
        n bigint;
    begin
        foreach code in array codes loop
            continue when exists (select 1 from jurisdiction_partitions p where p.jurisdiction = code);
            select coalesce(max(p.number), 0) + 1 into n from jurisdiction_partitions p;
            insert into jurisdiction_partitions(jurisdiction, number) values (code, n);
            foreach parent in array array['entities', 'directory_memberships', 'entity_features'] loop
                execute format('create table %I (like %I including defaults including constraints)',
                               parent || '_j' || n, parent);
                execute format('alter table %I attach partition %I for values in (%L)', parent, parent || '_j' || n, code);
            end loop;
        end loop;
    end $$;
    SELECT onecheck_jurisdiction_partitions(ARRAY(
        SELECT '' UNION SELECT DISTINCT jurisdiction FROM v7_entities ORDER BY 1));
    INSERT INTO entity_codes(credit_code, jurisdiction) SELECT credit_code, jurisdiction FROM v7_entities;
    INSERT INTO entities(credit_code, name, scenario, district, legal_representative, credit_grade, jurisdiction)
        SELECT credit_code, name, scenario, district, legal_representative, credit_grade, jurisdiction FROM v7_entities;
    INSERT INTO directory_memberships(department, entity, jurisdiction)
        SELECT m.department, m.entity, c.jurisdiction FROM v7_memberships m JOIN entity_codes c ON c.credit_code = m.entity;
    INSERT INTO entity_features(entity, feature_values, jurisdiction)
        SELECT f.entity, f.feature_values, c.jurisdiction FROM v7_features f JOIN entity_codes c ON c.credit_code = f.entity;
    ALTER TABLE checks ADD CONSTRAINT checks_entity_fkey FOREIGN KEY (entity) REFERENCES entity_codes(credit_code);
    ALTER TABLE department_grades ADD CONSTRAINT department_grades_entity_fkey
        FOREIGN KEY (entity) REFERENCES entity_codes(credit_code) ON DELETE CASCADE;
    """

    /// Version 9 (`v9-grade-partitions`): `department_grades` — the largest table, a row per graded entity,
    /// department and period — partitioned by its entity's jurisdiction like the entity tables, so one
    /// jurisdiction's grades (`plan --workspace W --jurisdiction J`) are read from its partition alone instead of
    /// joining every jurisdiction's grades of the period to its entities.
    ///
    /// The key stays `(period, department, entity)` in that order for the queries by period, with the jurisdiction
    /// last (PostgreSQL wants the partition key in it; an entity has one jurisdiction, so the key is as unique as
    /// before). The jurisdiction is the entity's (`entity_codes`), referenced `ON UPDATE CASCADE`: an entity moved to
    /// another jurisdiction takes its grades along. The writers look it up in `entity_codes` on the server
    /// (``PostgresTransaction/insertDepartmentGrades(_:)``). Partitions exist for every jurisdiction numbered so far,
    /// and `onecheck_jurisdiction_partitions` makes a new jurisdiction's grades partition with its others.
    static let schemaGradePartitions = """
    CREATE TEMPORARY TABLE v8_grades ON COMMIT DROP AS SELECT * FROM department_grades;
    DROP TABLE department_grades;
    CREATE TABLE department_grades (
        period TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES departments(code),
        entity TEXT NOT NULL,
        probability REAL,
        scored_grade TEXT NOT NULL CHECK (scored_grade IN ('A','B','C','D')),
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT department_grades_pkey PRIMARY KEY (period, department, entity, jurisdiction),
        CONSTRAINT department_grades_entity_fkey FOREIGN KEY (jurisdiction, entity)
            REFERENCES entity_codes(jurisdiction, credit_code) ON UPDATE CASCADE ON DELETE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE INDEX department_grades_entity ON department_grades(entity, period);
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
                array['entities', 'directory_memberships', 'entity_features', 'department_grades']);
        end loop;
    end $$;
    CREATE FUNCTION onecheck_attach_partitions(code text, n bigint, parents text[]) RETURNS void LANGUAGE plpgsql AS $$
    declare
        parent text;
    begin
        foreach parent in array parents loop
            execute format('create table %I (like %I including defaults including constraints)',
                           parent || '_j' || n, parent);
            execute format('alter table %I attach partition %I for values in (%L)', parent, parent || '_j' || n, code);
        end loop;
    end $$;
    SELECT onecheck_attach_partitions(jurisdiction, number, array['department_grades'])
        FROM jurisdiction_partitions ORDER BY number;
    INSERT INTO department_grades(period, department, entity, probability, scored_grade, grade, jurisdiction)
        SELECT g.period, g.department, g.entity, g.probability, g.scored_grade, g.grade, c.jurisdiction
        FROM v8_grades g JOIN entity_codes c ON c.credit_code = g.entity;
    """
}

extension PostgresStore {
    /// Version 10 (`v10-roster-partitions`): the roster (`inspectors`) and the agreed quotas (`stratum_quotas`) —
    /// the other tables with a jurisdiction key — partitioned by it like the entity tables, so that a
    /// jurisdiction's plan reads its own roster and quotas (``Workspace/planningInputs(for:of:)``) and a
    /// jurisdiction's partitions, all six, can be detached, moved or dropped together (SCALE.md).
    ///
    /// - `inspector_codes(id, jurisdiction)`: one row per inspector, unpartitioned, keeps an inspector id unique
    ///   across jurisdictions as `entity_codes` does a credit code; `inspectors` is keyed `(jurisdiction, id)` and
    ///   references it `ON UPDATE CASCADE`: an inspector moved to another jurisdiction's roster is one update of
    ///   its code's row, and PostgreSQL moves the row between partitions.
    /// - `stratum_quotas` keeps its key `(jurisdiction, department, grade)`, which leads with the partition key.
    /// - Columns in the same order as before (and as SQLite's), so `export` writes the same columns.
    /// - `onecheck_jurisdiction_partitions` makes a new jurisdiction's partitions of these two tables with the
    ///   others; the migration makes them for every jurisdiction numbered so far, and numbers the jurisdictions
    ///   that so far had only inspectors or quotas.
    static let schemaRosterPartitions = """
    CREATE TEMPORARY TABLE v9_inspectors ON COMMIT DROP AS SELECT * FROM inspectors;
    CREATE TEMPORARY TABLE v9_stratum_quotas ON COMMIT DROP AS SELECT * FROM stratum_quotas;
    DROP TABLE inspectors, stratum_quotas;
    CREATE TABLE inspector_codes (
        id TEXT PRIMARY KEY NOT NULL,
        jurisdiction TEXT NOT NULL,
        CONSTRAINT inspector_codes_jurisdiction_key UNIQUE (jurisdiction, id)
    );
    CREATE TABLE inspectors (
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        department TEXT NOT NULL REFERENCES departments(code),
        conflicts TEXT NOT NULL DEFAULT '',
        district TEXT NOT NULL DEFAULT '',
        qualified_items TEXT NOT NULL DEFAULT '',
        cap_per_period INTEGER CHECK (cap_per_period IS NULL OR cap_per_period >= 0),
        cap_per_day INTEGER NOT NULL DEFAULT 2 CHECK (cap_per_day >= 1),
        last_checked TEXT NOT NULL DEFAULT '',
        jurisdiction TEXT NOT NULL DEFAULT '',
        CONSTRAINT inspectors_pkey PRIMARY KEY (jurisdiction, id),
        CONSTRAINT inspectors_id_fkey FOREIGN KEY (jurisdiction, id)
            REFERENCES inspector_codes(jurisdiction, id) ON UPDATE CASCADE ON DELETE CASCADE
    ) PARTITION BY LIST (jurisdiction);
    CREATE INDEX inspectors_id ON inspectors(id);
    CREATE TABLE stratum_quotas (
        jurisdiction TEXT NOT NULL DEFAULT '',
        department TEXT NOT NULL REFERENCES departments(code),
        grade TEXT NOT NULL CHECK (grade IN ('A','B','C','D')),
        ratio REAL CHECK (ratio IS NULL OR (ratio >= 0 AND ratio <= 1)),
        count INTEGER CHECK (count IS NULL OR count >= 0),
        certain INTEGER NOT NULL DEFAULT 0 CHECK (certain IN (0, 1)),
        CHECK ((ratio IS NOT NULL)::int + (count IS NOT NULL)::int + certain = 1),
        CONSTRAINT stratum_quotas_pkey PRIMARY KEY (jurisdiction, department, grade)
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
                      'inspectors', 'stratum_quotas']);
        end loop;
    end $$;
    SELECT onecheck_attach_partitions(jurisdiction, number, array['inspectors', 'stratum_quotas'])
        FROM jurisdiction_partitions ORDER BY number;
    SELECT onecheck_jurisdiction_partitions(ARRAY(
        SELECT jurisdiction FROM v9_inspectors UNION SELECT jurisdiction FROM v9_stratum_quotas ORDER BY 1));
    INSERT INTO inspector_codes(id, jurisdiction) SELECT id, jurisdiction FROM v9_inspectors;
    INSERT INTO inspectors(id, name, department, conflicts, district, qualified_items, cap_per_period, cap_per_day,
                           last_checked, jurisdiction)
        SELECT id, name, department, conflicts, district, qualified_items, cap_per_period, cap_per_day, last_checked,
               jurisdiction
        FROM v9_inspectors;
    INSERT INTO stratum_quotas(jurisdiction, department, grade, ratio, count, certain)
        SELECT jurisdiction, department, grade, ratio, count, certain FROM v9_stratum_quotas;
    """
}
