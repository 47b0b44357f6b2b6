import Foundation

/// Inline SVG charts drawn by the console: bars (one or two series per category), a histogram and trend lines.
/// Every chart has a title and carries its numbers as a table beside it, so a reader without the picture (a
/// screen reader, a printout, a test) has every value. Colours are SVG presentation attributes, not inline
/// styles, so the Content-Security-Policy needs no `unsafe-inline`.
public struct Chart: Sendable {
    public enum Kind: Sendable { case bars, histogram, lines }

    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var kind: Kind
    public var title: String
    /// The categories (bars), bins (histogram) or periods (lines), in order.
    public var labels: [String]
    public var series: [Series]
    /// How values are written in the table (and on the axis).
    public var format: @Sendable (Double) -> String
    /// The top of the value axis (nil: the largest value) and how many steps it has.
    public var axisMax: Double?
    public var axisSteps: Int

    public init(_ kind: Kind, title: String, labels: [String], series: [Series],
                format: @escaping @Sendable (Double) -> String = { HTML.number($0) }, axisMax: Double? = nil,
                axisSteps: Int = 3) {
        self.axisMax = axisMax
        self.axisSteps = max(1, axisSteps)
        self.kind = kind
        self.title = title
        self.labels = labels
        self.series = series
        self.format = format
    }

    static let palette = ["#2f6db5", "#e0823a", "#3c9a5f", "#b5475a", "#7a5bb5", "#8a8a8a"]

    /// The chart as a `<figure>`: the SVG, then the table of its numbers.
    public var html: String {
        let id = "c" + String(Self.stableDigest(title), radix: 16)
        var out = "<figure class=\"chart\" aria-labelledby=\"\(id)\"><figcaption id=\"\(id)\">\(HTML.escape(title))</figcaption>"
        out += svg
        out += legend
        out += table
        out += "</figure>"
        return out
    }

    /// FNV-1a (32 bits) of the UTF-8 bytes of `text`: the same in every process, so a page or a report drawn
    /// twice is byte-identical (Swift's `hashValue` is seeded per process).
    static func stableDigest(_ text: String) -> UInt32 {
        var digest: UInt32 = 0x811c_9dc5
        for byte in text.utf8 { digest = (digest ^ UInt32(byte)) &* 0x0100_0193 }
        return digest
    }

    var maxValue: Double {
        if let axisMax, axisMax > 0 { return axisMax }
        let top = series.flatMap(\.values).filter(\.isFinite).max() ?? 0
        return top > 0 ? top : 1
    }

    var svg: String {
        let width = 640.0, height = 240.0, left = 48.0, bottom = 40.0, top = 12.0, right = 8.0
        let plotW = width - left - right, plotH = height - top - bottom
        var s = "<svg class=\"chart-svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMidYMid meet\"><title>\(HTML.escape(title))</title>"
        let top0 = maxValue
        // Axis and three grid lines with their values.
        for step in 0...axisSteps {
            let v = top0 * Double(step) / Double(axisSteps), y = top + plotH - plotH * Double(step) / Double(axisSteps)
            s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - right))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>"
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#555\">"
                + "\(HTML.escape(format(v)))</text>"
        }
        let n = max(labels.count, 1)
        let slot = plotW / Double(n)
        switch kind {
        case .bars, .histogram:
            let groups = max(series.count, 1)
            let gap = kind == .histogram ? 1.0 : slot * 0.2
            let barW = max((slot - gap) / Double(groups), 1)
            for (si, serie) in series.enumerated() {
                for (i, value) in serie.values.enumerated() where i < labels.count && value.isFinite {
                    let h = plotH * value / top0
                    let x = left + Double(i) * slot + gap / 2 + Double(si) * barW
                    s += "<rect x=\"\(f(x))\" y=\"\(f(top + plotH - h))\" width=\"\(f(barW))\" height=\"\(f(h))\" "
                        + "fill=\"\(Self.palette[si % Self.palette.count])\"><title>\(HTML.escape(labels[i])) "
                        + "\(HTML.escape(serie.name)): \(HTML.escape(format(value)))</title></rect>"
                }
            }
        case .lines:
            for (si, serie) in series.enumerated() {
                let points = serie.values.enumerated().filter { $0.offset < labels.count && $0.element.isFinite }.map {
                    "\(f(left + (Double($0.offset) + 0.5) * slot)),\(f(top + plotH - plotH * $0.element / top0))"
                }
                guard !points.isEmpty else { continue }
                let colour = Self.palette[si % Self.palette.count]
                s += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
                for point in points {
                    let xy = point.split(separator: ",")
                    s += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(colour)\"/>"
                }
            }
        }
        // Category labels, thinned so they do not overlap.
        let every = max(1, Int((Double(n) * 60 / plotW).rounded(.up)))
        for (i, label) in labels.enumerated() where i % every == 0 {
            s += "<text x=\"\(f(left + (Double(i) + 0.5) * slot))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\" "
                + "font-size=\"11\" fill=\"#333\">\(HTML.escape(String(label.prefix(14))))</text>"
        }
        return s + "</svg>"
    }

    /// The legend of a chart with several series, as HTML under the picture rather than text inside it: drawn in
    /// the SVG it shrank with the picture on a phone and its names ran into each other; as a list it keeps the
    /// page's font size and wraps within the figure. Each swatch is a tiny SVG (presentation attributes, no inline
    /// style, as the Content-Security-Policy requires).
    var legend: String {
        guard series.count > 1 else { return "" }
        var l = "<ul class=\"legend\">"
        for (si, serie) in series.enumerated() {
            l += "<li><svg class=\"swatch\" viewBox=\"0 0 10 10\" width=\"10\" height=\"10\" aria-hidden=\"true\">"
                + "<rect width=\"10\" height=\"10\" fill=\"\(Self.palette[si % Self.palette.count])\"/></svg>"
                + "\(HTML.escape(serie.name))</li>"
        }
        return l + "</ul>"
    }

    var table: String {
        var t = "<div class=\"table-wrap\"><table class=\"chart-data\"><thead><tr><th></th>"
        for serie in series { t += "<th>\(HTML.escape(serie.name))</th>" }
        t += "</tr></thead><tbody>"
        for (i, label) in labels.enumerated() {
            t += "<tr><th scope=\"row\">\(HTML.escape(label))</th>"
            for serie in series {
                let value = i < serie.values.count ? serie.values[i] : .nan
                t += "<td>\(value.isFinite ? HTML.escape(format(value)) : "–")</td>"
            }
            t += "</tr>"
        }
        return t + "</tbody></table></div>"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
