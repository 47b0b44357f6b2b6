import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Fitting

/// Logistic regression on the German credit reference design against statsmodels / exact Newton optima.
@Suite struct LogisticRegressionReferenceTests {
    static let design = "german-credit/reference/X_nohdr.csv"

    @Test(.enabled(if: SharedData.shouldRun(design)))
    func unpenalizedMatchesStatsmodels() throws {
        let x = try GermanCreditReference.design()
        let y = try GermanCreditReference.outcome()
        let expected = try NumericCSV.vector("german-credit/reference/beta_unpenalized_nohdr.csv")
        let fit = try LogisticRegression().fit(design: x, outcome: y)
        #expect(fit.coefficients.count == 49)
        let worst = zip(fit.coefficients, expected).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-6, "max |β − β_statsmodels| = \(worst)")
        #expect(abs(fit.logLikelihood - (-451.5630171952752)) <= 1e-8, "llf \(fit.logLikelihood)")
        #expect(fit.objective == -fit.logLikelihood)
        #expect(fit.iterations <= 10)
    }

    @Test(.enabled(if: SharedData.shouldRun(design)))
    func standardErrorsMatchStatsmodels() throws {
        let fit = try LogisticRegression().fit(design: try GermanCreditReference.design(),
                                               outcome: try GermanCreditReference.outcome())
        let text = try String(contentsOf: try SharedData.url("german-credit/reference/coef_logit_unpenalized_statsmodels.csv"),
                              encoding: .utf8)
        // name may be quoted and contain commas; coef, std_err, coef_glm_irls are the last three fields.
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { line -> [Double] in
            line.split(separator: ",").suffix(3).map { Double($0)! }
        }
        try #require(rows.count == 49)
        for (j, row) in rows.enumerated() {
            #expect(abs(fit.coefficients[j] - row[0]) <= 1e-6)
            let relative = abs(fit.standardErrors[j] - row[1]) / row[1]
            #expect(relative <= 1e-6, "SE of column \(j): \(fit.standardErrors[j]) vs \(row[1])")
        }
    }

    @Test(.enabled(if: SharedData.shouldRun(design)))
    func ridgeWithCOneMatchesExactOptimum() throws {
        let expected = try NumericCSV.vector("german-credit/reference/beta_l2_C1_newton_exact_nohdr.csv")
        let model = LogisticRegression(inverseRegularization: 1)
        #expect(model.l2Penalty == 1)
        let fit = try model.fit(design: try GermanCreditReference.design(), outcome: try GermanCreditReference.outcome())
        let worst = zip(fit.coefficients, expected).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-8, "max |β − β_exact| = \(worst)")
        #expect(abs(fit.objective - 460.2328886967556) <= 1e-8, "objective \(fit.objective)")
    }

    @Test(.enabled(if: SharedData.shouldRun(design)))
    func columnMajorAndBlockedPassesGiveTheSameFit() throws {
        let x = try GermanCreditReference.design()
        let y = try GermanCreditReference.outcome()
        let reference = try LogisticRegression().fit(design: x, outcome: y)
        var blocked = LogisticRegression()
        blocked.rowsPerBlock = 37  // many blocks, the last one partial
        let fromBlocks = try blocked.fit(design: x.converted(to: .columnMajor), outcome: y)
        let worst = zip(reference.coefficients, fromBlocks.coefficients).map { abs($0 - $1) }.max()!
        #expect(worst <= 1e-10)
        #expect(abs(reference.logLikelihood - fromBlocks.logLikelihood) <= 1e-9)
        // Row slices summed in order (the parallel pass of large problems): the same fit, bit for bit on reruns.
        var sliced = blocked
        sliced.rowSlices = 7
        let fromSlices = try sliced.fit(design: x, outcome: y)
        let worstSliced = zip(reference.coefficients, fromSlices.coefficients).map { abs($0 - $1) }.max()!
        #expect(worstSliced <= 1e-10)
        #expect(abs(reference.logLikelihood - fromSlices.logLikelihood) <= 1e-9)
        #expect(try sliced.fit(design: x, outcome: y).coefficients == fromSlices.coefficients)
    }
}
