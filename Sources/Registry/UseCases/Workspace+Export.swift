import Foundation
import Tables

extension Workspace {
    /// The tables `exportAll` writes, in dependency order, with the columns that order their rows.
    public static var exportedTables: [RegistryTable] { RegistryTable.all }

    /// Writes every table to `directory/<table>.csv` (header = the stored column names, rows in key order, NULL as
    /// an empty field, reals in shortest round-trip form), from one read transaction, so the files are mutually
    /// consistent even while another process writes.
    ///
    /// The files replace the directory's previous export as a whole (`Tables.OutputSet`): on any failure — a full
    /// disk, a signal — the previous files stay as they were and no temporary file is left. The directory may hold
    /// only export files; one with other files is refused before anything is written.
    /// - Returns: the files written.
    @discardableResult
    public func exportAll(to directory: URL) throws -> [URL] {
        let tables = Self.exportedTables
        let set = try OutputSet(directory: directory.path, members: tables.map { "\($0.name).csv" })
        do {
            try store.read { tx in
                for table in tables {
                    let writer = try CSVWriter(path: set.path(of: "\(table.name).csv"))
                    do {
                        try tx.forEachRow(of: table, header: { try writer.appendRow($0) }) { values in
                            for value in values {
                                switch value {
                                case .null: writer.appendMissingField()
                                case .integer(let v): writer.appendField(Int(v))
                                case .real(let v): writer.appendField(shortest: v)
                                case .text(let s): writer.appendField(s)
                                }
                            }
                            try writer.endRow()
                        }
                        try writer.commit()
                    } catch {
                        writer.abandon()
                        throw error
                    }
                }
            }
            try set.commit()
        } catch {
            set.abandon()
            throw error
        }
        return tables.map { directory.appendingPathComponent("\($0.name).csv") }
    }
}
