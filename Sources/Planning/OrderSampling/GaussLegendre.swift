#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gauss–Legendre quadrature: `∫_a^b f(x) dx ≈ Σ_k w_k f(x_k)`, exact for polynomials of degree `2m − 1` with `m`
/// nodes, and converging geometrically for functions analytic on the interval.
struct GaussLegendre: Sendable {
    /// Nodes on `[−1, 1]`, ascending.
    let nodes: [Double]
    /// Weights of the nodes; they sum to 2.
    let weights: [Double]

    /// The `m`-node rule. Nodes are the roots of the Legendre polynomial `P_m`, found by Newton's method from
    /// Tricomi's initial guesses; weights `2 / ((1 − x²) P_m'(x)²)`.
    /// - Complexity: O(m²).
    init(nodes m: Int) {
        precondition(m >= 1, "a rule has at least one node")
        var xs = [Double](repeating: 0, count: m), ws = xs
        for i in 0..<(m + 1) / 2 {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(m) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                // P_m(x) by the three-term recurrence, and its derivative.
                var p0 = 1.0, p1 = x
                if m == 1 { p1 = x; p0 = 1 } else {
                    for k in 2...m {
                        let p2 = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)
                        p0 = p1
                        p1 = p2
                    }
                }
                derivative = Double(m) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-16 { break }
            }
            let w = 2 / ((1 - x * x) * derivative * derivative)
            xs[i] = -x
            xs[m - 1 - i] = x
            ws[i] = w
            ws[m - 1 - i] = w
        }
        nodes = xs
        weights = ws
    }

    /// The nodes and weights mapped onto `[a, b]`.
    func on(_ a: Double, _ b: Double) -> [(x: Double, weight: Double)] {
        let half = (b - a) / 2, middle = (a + b) / 2
        return zip(nodes, weights).map { (middle + half * $0, half * $1) }
    }
}
