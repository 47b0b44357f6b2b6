/// One contiguous range of entities, drawn and formatted: the rows it contributes to `entities.csv`,
/// `history.csv` and `credit_events.csv`, and the little the rest of the generation needs to remember.
struct EntityChunk {
    var entities = RowBuffer()
    var history = RowBuffer()
    var credit = RowBuffer()
    var district: [UInt8] = []
    var scenario: [UInt8] = []
    var individual: [Bool] = []
    /// Checks in the last history period: (entity index, department index).
    var lastChecks: [(entity: Int32, department: UInt8)] = []
    var historyRows = 0

    /// Draws and formats entities `range` of the city.
    /// - Complexity: O(range.count × (features + heads × design columns)).
    init(range: Range<Int>, drawer: EntityDrawer) {
        let kernel = drawer.kernel
        let decimals = drawer.features.map(\.decimals)
        let n = range.count
        entities = RowBuffer(reservingCapacity: n * 190)
        history = RowBuffer(reservingCapacity: n * 40)
        credit = RowBuffer(reservingCapacity: n * 21)
        district.reserveCapacity(n); scenario.reserveCapacity(n); individual.reserveCapacity(n)

        var units = [Int64](repeating: 0, count: decimals.count)
        var design = [Double](repeating: 0, count: kernel.designWidth)
        var eta = [Double](repeating: 0, count: kernel.headCount)
        var probability = [Double](repeating: 0, count: kernel.headCount)
        var checks: [EntityDrawer.Check] = []
        let departmentIds = Department.all.map { Array($0.id.utf8) }
        let scenarioIds = Scenario.all.map { Array($0.id.utf8) }
        let districtIds = District.all.map { Array(String($0.code).utf8) }
        let periods = CityCalendar.historyPeriods.map { Array($0.utf8) }
        let lastQuarter = CityCalendar.historyPeriods.count - 1
        let creditHead = drawer.model.creditHeadIndex

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
            entities.appendPlain(code); entities.comma()
            entities.appendPlain(districtIds[basics.district]); entities.comma()
            entities.appendPlain(scenarioIds[basics.scenario])
            for i in 0..<decimals.count {
                entities.comma()
                if units[i] != TrueModel.missingUnits { entities.appendFixed(units[i], decimals: decimals[i]) }
            }
            entities.newline()

            // history.csv
            for c in checks {
                history.appendPlain(code); history.comma()
                history.appendPlain(departmentIds[c.department]); history.comma()
                history.appendPlain(periods[c.quarter]); history.comma()
                history.bytes.append(c.found ? UInt8(ascii: "1") : UInt8(ascii: "0")); history.comma()
                if let e = c.element { history.appendPlain(e.rawValue) }
                history.newline()
                if c.quarter == lastQuarter { lastChecks.append((Int32(index), UInt8(c.department))) }
            }
            historyRows += checks.count

            // credit_events.csv
            credit.appendPlain(code); credit.comma()
            credit.bytes.append(seriousEvent ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            credit.newline()
        }
    }
}
