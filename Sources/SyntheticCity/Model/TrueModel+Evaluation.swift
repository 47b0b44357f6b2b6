import Scoring

/// Evaluating the true model on the values the generator has just written, so the drawn outcomes follow the
/// model *as applied to the file* (rounded values, empty fields) — exactly what a fitter or scorer will see.
extension TrueModel {
    /// The sentinel for a missing value in a row of feature units.
    public static let missingUnits = Int64.min

    /// The model flattened into plain numbers for the per-entity hot loop. Why: iterating the model's structs would
    /// copy their `String`s and arrays, and the reference counting on those shared objects makes parallel chunks
    /// contend for the same cache lines.
    ///
    /// The linear predictors are the product of `onecheck score` (``CompiledModel/linearScores(design:rows:into:path:stores:)``
    /// of ``TrueModel/scoringModel()``): a chain of fused multiply-adds, each correctly rounded by IEEE 754, so the
    /// same bits on every machine. The design row stays the generator's own (``designRow(units:into:)``): its
    /// logarithm is ``CityMath/log(_:)``, not the platform's `log1p` that the scorer's encoders call, whose last bit
    /// may differ between C libraries — and the city's files are promised byte-identical on any machine. (Moving
    /// the product to the shared kernel changed no byte of a 1M-entity city of seed 7 or of seed 2026.)
    struct Kernel: Sendable {
        struct Column: Sendable {
            var unitScale: Double
            var log1p: Bool
            var hasIndicator: Bool
            var imputeValue: Double
            var mean: Double
            var std: Double
        }
        let columns: [Column]
        let designWidth: Int
        let headCount: Int
        /// The true model compiled for the scoring kernel; its design columns are ``TrueModel/designColumns``.
        let compiled: CompiledModel

        init(_ model: TrueModel) {
            columns = model.columns.map { c in
                Column(unitScale: c.feature.unitScale, log1p: c.feature.log1p, hasIndicator: c.feature.missingRate > 0,
                       imputeValue: c.imputeValue ?? 0, mean: c.mean, std: c.std)
            }
            designWidth = model.designColumns.count
            headCount = model.heads.count
            // The true model is valid by construction (its file is written from the same value).
            compiled = try! CompiledModel(model.scoringModel(), file: TrueModel.name)
            precondition(compiled.designColumns == model.designColumns, "design columns of the compiled true model")
        }

        /// A design row from stored feature units (``FeatureSpec/unitScale`` per unit; ``missingUnits`` when
        /// empty): per feature `(t − mean)/std` with `t = log1p(x)` or `x`, a missing value imputed, then its 0/1
        /// indicator when the feature has one.
        func designRow(units: UnsafeBufferPointer<Int64>, into design: UnsafeMutableBufferPointer<Double>) {
            columns.withUnsafeBufferPointer { columns in
                var c = 0
                for i in 0..<columns.count {
                    let column = columns[i]
                    let u = units[i]
                    let missing = u == TrueModel.missingUnits
                    let x = missing ? column.imputeValue : Double(u) / column.unitScale
                    let t = column.log1p ? CityMath.log(1 + x) : x
                    design[c] = (t - column.mean) / column.std
                    c += 1
                    if column.hasIndicator {
                        design[c] = missing ? 1 : 0
                        c += 1
                    }
                }
            }
        }

        /// `intercept + Σ weight·x` for every head, in head order, by the scoring kernel (see the type's comment).
        func linearPredictors(design: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
            compiled.linearScores(design: design.baseAddress!, rows: 1, into: out.baseAddress!)
        }
    }
}
