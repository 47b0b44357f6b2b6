import Dispatch
import Foundation

/// A one-line progress display on standard error, redrawn at most ten times a second.
/// Disabled (silent) unless asked for — by default only when standard error is a terminal.
final class ProgressMeter {
    private let enabled: Bool
    private let unit: String
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0

    init(enabled: Bool, unit: String) {
        self.enabled = enabled
        self.unit = unit
    }

    private var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    func update(_ done: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        draw("\r\(done) \(unit) (\(Int(Double(done) / max(elapsed, 1e-9)))/s)")
    }

    func finish(_ done: Int) {
        guard enabled else { return }
        draw(String(format: "\r%d %@ in %.2f s\n", done, unit, elapsed))
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
