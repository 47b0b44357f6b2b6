import Supervision
import Tables

/// One contiguous range of entities, drawn and formatted: the rows it contributes to `entities.csv`,
/// `history.csv` and `credit_events.csv`, and the little the rest of the generation needs to remember.
struct EntityChunk: Sendable {
    let entities: CSVRowBuffer
    let history: CSVRowBuffer
    let credit: CSVRowBuffer
    var district: [UInt8] = []
    var scenario: [UInt8] = []
    var individual: [Bool] = []
    /// Checks in the last history period: (entity index, department index).
    var lastChecks: [(entity: Int32, department: UInt8)] = []
    var historyRows = 0

    /// Draws and formats entities `range` of the city; with `jurisdictions`, each entity's row carries its
    /// jurisdiction's code after the fixed columns.
    /// - Complexity: O(range.count × (features + heads × design columns)).
    init(range: Range<Int>, drawer: EntityDrawer, jurisdictions: CityJurisdictions? = nil) {
        let kernel = drawer.kernel
        let decimals = drawer.features.map(\.decimals)
        let scales = drawer.features.map(\.unitScale)
        let n = range.count
        entities = CSVRowBuffer(capacity: n * 190)
        history = CSVRowBuffer(capacity: n * 40)
        credit = CSVRowBuffer(capacity: n * 21)
        district.reserveCapacity(n); scenario.reserveCapacity(n); individual.reserveCapacity(n)

        var units = [Int64](repeating: 0, count: decimals.count)
        var design = [Double](repeating: 0, count: kernel.designWidth)
        var eta = [Double](repeating: 0, count: kernel.headCount)
        var probability = [Double](repeating: 0, count: kernel.headCount)
        var checks: [EntityDrawer.HistoryCheck] = []
        let departmentIds = CityCatalogue.departments.map { Array($0.code.rawValue.utf8) }
        let scenarioIds = CityCatalogue.scenarios.map { Array($0.code.rawValue.utf8) }
        let districtIds = CityCatalogue.districts.map { Array($0.code.rawValue.utf8) }
        let periods = CityCalendar.historyPeriods.map { Array($0.description.utf8) }
        let lastQuarter = CityCalendar.historyPeriods.count - 1
        let creditHead = drawer.model.creditHeadIndex
        let jurisdictionIds = jurisdictions.map { j in (0..<j.count).map { Array(j.code($0).rawValue.utf8) } }

        for index in range {
            let (basics, stream) = units.withUnsafeMutableBufferPointer { drawer.drawEntity(index: index, units: $0) }
            var rng = stream
            units.withUnsafeBufferPointer { u in
                design.withUnsafeMutableBufferPointer { kernel.designRow(units: u, into: $0) }
            }
            design.withUnsafeBufferPointer { x in
                eta.withUnsafeMutableBufferPointer { kernel.linearPredictors(design: x, into: $0) }
            }
            for h in eta.indices { probability[h] = CityMath.logistic(eta[h]) }
            checks.removeAll(keepingCapacity: true)
            probability.withUnsafeBufferPointer {
                drawer.drawChecks(scenario: basics.scenario, probabilities: $0, rng: &rng, into: &checks)
            }
            let seriousEvent = rng.nextBernoulli(probability[creditHead])

            let code = drawer.code(index: index, district: basics.district, individual: basics.individual)
            district.append(UInt8(basics.district))
            scenario.append(UInt8(basics.scenario))
            individual.append(basics.individual)

            // entities.csv
            code.withUnsafeBytes { entities.appendRawField($0) }
            districtIds[basics.district].withUnsafeBytes { entities.appendRawField($0) }
            scenarioIds[basics.scenario].withUnsafeBytes { entities.appendRawField($0) }
            if let jurisdictions, let jurisdictionIds {
                jurisdictionIds[jurisdictions.jurisdiction(ofEntity: index)].withUnsafeBytes { entities.appendRawField($0) }
            }
            for i in 0..<decimals.count {
                let u = units[i]
                if u == TrueModel.missingUnits {
                    entities.appendMissingField()
                } else if decimals[i] == 0 {
                    entities.appendField(Int(u))
                } else {
                    // The double nearest u/10ᵈ lies far closer to it than half a unit of the last place, so
                    // fixed formatting of the exact binary value gives back exactly the digits of u.
                    entities.appendField(Double(u) / scales[i], decimals: decimals[i])
                }
            }
            entities.endRow()

            // history.csv
            for c in checks {
                code.withUnsafeBytes { history.appendRawField($0) }
                departmentIds[c.department].withUnsafeBytes { history.appendRawField($0) }
                periods[c.quarter].withUnsafeBytes { history.appendRawField($0) }
                history.appendField(c.found ? 1 : 0)
                if let e = c.element { history.appendField(e.rawValue) } else { history.appendMissingField() }
                history.endRow()
                if c.quarter == lastQuarter { lastChecks.append((Int32(index), UInt8(c.department))) }
            }
            historyRows += checks.count

            // credit_events.csv
            code.withUnsafeBytes { credit.appendRawField($0) }
            credit.appendField(seriousEvent ? 1 : 0)
            credit.endRow()
        }
    }
}
