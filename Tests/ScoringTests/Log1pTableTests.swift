import Foundation
import Testing
@testable import Scoring

@Suite struct Log1pTableTests {
    /// The table is a shortcut, not an approximation: every input gives libm's bits.
    @Test func sameBitsAsLibm() {
        var inputs: [Double] = (0..<5000).map(Double.init)               // the table, and past its end
        inputs += [-0.0, 0.5, 1e-300, 4095.5, 4096, -0.999, .infinity]   // fractions, −0, the edges
        inputs += (0..<2000).map { Double($0) * 0.37 }
        for x in inputs {
            #expect(_log1p(x).bitPattern == log1p(x).bitPattern, "log1p(\(x))")
        }
        #expect(_log1p(.nan).isNaN)
    }
}
