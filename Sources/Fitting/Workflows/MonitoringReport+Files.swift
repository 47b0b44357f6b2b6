import Tables

/// The CSV files of a monitoring report, written as one set (``OutputSet``): a reader sees the previous run's files
/// or this run's, never a mix. Numbers are written with fixed decimals (counts as integers), so the same inputs give
/// byte-identical files.
///
/// - `stability.csv` — `kind,subject,measure,bins,index,flag,moved`: one row per head (`psi`, its score bands) and
///   per feature (`csi`, its bins or levels), in model order. `flag` is `stable` (< 0.1), `watch` (0.1 to < 0.25)
///   or `action` (≥ 0.25); `moved` lists up to three bins by contribution, largest first, as
///   `bin: baseline share -> current share`, joined by `; `.
/// - `stability-bins.csv` — `kind,subject,bin,baseline_count,current_count,baseline_share,current_share,contribution`:
///   every bin of every index (its part of the index).
/// - `migration.csv` — `subject,from,to,entities`: every cell of each grade migration matrix (zeros included),
///   heads in model order then `supervision_class`, over the entities found in both files.
/// - `discrimination.csv` (with outcomes) — `head,baseline_rows,baseline_events,baseline_auc,current_rows,
///   current_events,current_auc,gini_change,flag`: `gini_change` is the relative fall of the Gini coefficient
///   (``Metrics/discriminationFlag(referenceAUC:currentAUC:)``), empty when either AUC is undefined.
/// - `calibration.csv` (with outcomes, logistic heads) — `sample,head,decile,rows,lowest,highest,predicted,
///   observed`.
extension MonitoringReport {
    /// Every file a report may hold: the set's members, so that a run without outcomes may replace one with them.
    public static let fileNames = ["stability.csv", "stability-bins.csv", "migration.csv", "discrimination.csv",
                                   "calibration.csv"]

    /// Writes the report's files into `directory`, replacing its previous set.
    /// - Returns: the names written.
    /// - Throws: ``OutputError`` when `directory` holds other files; `TableError` for I/O failures (nothing replaced).
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        let set = try OutputSet(directory: directory, members: Self.fileNames)
        var written: [String] = []
        do {
            func file(_ name: String, _ header: [String], _ body: (CSVWriter) throws -> Void) throws {
                let writer = try CSVWriter(path: set.path(of: name))
                do {
                    try writer.appendRow(header)
                    try body(writer)
                    try writer.commit()
                } catch {
                    writer.abandon()
                    throw error
                }
                written.append(name)
            }
            let indices: [(kind: String, subject: String, measure: String, bins: [String], stability: Metrics.Stability)] =
                scores.map { ("psi", $0.head, $0.measure, Self.bandLabels($0), $0.stability) }
                + characteristics.map { ("csi", $0.feature, "bins", $0.bins, $0.stability) }
            try file("stability.csv", ["kind", "subject", "measure", "bins", "index", "flag", "moved"]) { w in
                for i in indices {
                    let moved = Self.largestMoves(i.stability).map { b in
                        "\(i.bins[b]): \(Self.fixed(i.stability.bins[b].expectedShare, 4)) -> "
                            + Self.fixed(i.stability.bins[b].actualShare, 4)
                    }
                    try w.appendRow([i.kind, i.subject, i.measure, "\(i.bins.count)", Self.fixed(i.stability.index, 6),
                                     i.stability.flag.rawValue, moved.joined(separator: "; ")])
                }
            }
            try file("stability-bins.csv", ["kind", "subject", "bin", "baseline_count", "current_count", "baseline_share",
                                            "current_share", "contribution"]) { w in
                for i in indices {
                    for (b, bin) in i.stability.bins.enumerated() {
                        try w.appendRow([i.kind, i.subject, i.bins[b], "\(bin.expectedCount)", "\(bin.actualCount)",
                                         Self.fixed(bin.expectedShare, 6), Self.fixed(bin.actualShare, 6),
                                         Self.fixed(bin.contribution, 6)])
                    }
                }
            }
            try file("migration.csv", ["subject", "from", "to", "entities"]) { w in
                for m in migrations {
                    for (i, row) in m.migration.counts.enumerated() {
                        for (j, n) in row.enumerated() { try w.appendRow([m.subject, m.labels[i], m.labels[j], "\(n)"]) }
                    }
                }
            }
            if !currentOutcomes.isEmpty || !baselineOutcomes.isEmpty {
                try file("discrimination.csv", ["head", "baseline_rows", "baseline_events", "baseline_auc", "current_rows",
                                                "current_events", "current_auc", "gini_change", "flag"]) { w in
                    for drift in discrimination {
                        func part(_ fit: OutcomeFit?) -> [String] {
                            guard let fit else { return ["0", "0", ""] }
                            return ["\(fit.rows)", "\(fit.events)", fit.auc.map { Self.fixed($0, 6) } ?? ""]
                        }
                        try w.appendRow([drift.head] + part(drift.baseline) + part(drift.current)
                                        + [drift.giniChange.map { Self.fixed($0, 6) } ?? "", drift.flag?.rawValue ?? ""])
                    }
                }
                try file("calibration.csv", ["sample", "head", "decile", "rows", "lowest", "highest", "predicted",
                                             "observed"]) { w in
                    for (sample, fits) in [("baseline", baselineOutcomes), ("current", currentOutcomes)] {
                        for fit in fits {
                            guard let calibration = fit.calibration else { continue }
                            for (g, bin) in calibration.bins.enumerated() {
                                try w.appendRow([sample, fit.head, "\(g + 1)", "\(bin.count)",
                                                 Self.fixed(bin.lowestProbability, 6), Self.fixed(bin.highestProbability, 6),
                                                 Self.fixed(bin.meanPredicted, 6), Self.fixed(bin.observedRate, 6)])
                            }
                        }
                    }
                }
            }
            try set.commit()
        } catch {
            set.abandon()
            throw error
        }
        return written
    }

    /// The drift of discrimination of each head with outcomes in either sample, in model order of the fits.
    public struct DiscriminationDrift: Sendable {
        public let head: String
        public let baseline: OutcomeFit?
        public let current: OutcomeFit?
        /// `(G_baseline − G_current) / G_baseline` with `G = 2·AUC − 1`; nil when an AUC is undefined or
        /// `G_baseline ≤ 0`.
        public let giniChange: Double?
        /// ``Metrics/discriminationFlag(referenceAUC:currentAUC:)``; nil when either AUC is undefined.
        public let flag: Metrics.StabilityFlag?
    }

    public var discrimination: [DiscriminationDrift] {
        var heads: [String] = []
        for fit in baselineOutcomes + currentOutcomes where !heads.contains(fit.head) { heads.append(fit.head) }
        return heads.map { head in
            let b = baselineOutcomes.first { $0.head == head }, c = currentOutcomes.first { $0.head == head }
            guard let x = b?.auc, let y = c?.auc else {
                return DiscriminationDrift(head: head, baseline: b, current: c, giniChange: nil, flag: nil)
            }
            let g0 = 2 * x - 1
            return DiscriminationDrift(head: head, baseline: b, current: c,
                                       giniChange: g0 > 0 ? (g0 - (2 * y - 1)) / g0 : nil,
                                       flag: Metrics.discriminationFlag(referenceAUC: x, currentAUC: y))
        }
    }

    /// The labels of a head's score bands, `[lower, upper)` in the head's measure.
    public static func bandLabels(_ s: ScoreStability) -> [String] {
        (0..<s.bands.count).map { s.bands.label($0, format: { DecimalFormatting.shortest($0) }) }
    }

    /// Up to `limit` bins by contribution, largest first (ties in bin order), those with a contribution > 0.
    public static func largestMoves(_ s: Metrics.Stability, limit: Int = 3) -> [Int] {
        Array(s.bins.indices.filter { s.bins[$0].contribution > 0 }.sorted { a, b in
            let x = s.bins[a].contribution, y = s.bins[b].contribution
            return x != y ? x > y : a < b
        }.prefix(limit))
    }

    /// Fixed decimals, `-0` written `0`.
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        DecimalFormatting.fixed(v, decimals: decimals)
    }
}
