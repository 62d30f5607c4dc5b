import Foundation

// MARK: - Ratings with interval whiskers (inline SVG)

/// A horizontal bar per model, best on top: the bar ends at the rating, a whisker spans the 95%
/// interval. Inline SVG, so the page needs no script or image; text is escaped.
struct RatingChart {
    var rows: [LeaderboardRow]

    private let width = 800.0
    private let labelWidth = 190.0
    private let valueWidth = 150.0
    private let rowHeight = 26.0
    private let top = 28.0
    private let bottom = 30.0

    func render() -> String {
        guard !rows.isEmpty else { return "" }
        let lows = rows.map { min($0.ciLow, $0.rating) }
        let highs = rows.map { max($0.ciHigh, $0.rating) }
        let axis = NiceAxis(low: lows.min()!, high: highs.max()!, ticks: 6)
        let plotLeft = labelWidth
        let plotWidth = width - labelWidth - valueWidth
        let height = top + Double(rows.count) * rowHeight + bottom
        func x(_ v: Double) -> Double { plotLeft + (v - axis.low) / (axis.high - axis.low) * plotWidth }

        var svg = """
        <svg class="chart" role="img" aria-label="Ratings with 95% intervals" viewBox="0 0 \(Format.px(width)) \(Format.px(height))" width="\(Format.px(width))" height="\(Format.px(height))" xmlns="http://www.w3.org/2000/svg">

        """
        // Grid and axis labels.
        for tick in axis.values {
            let tx = Format.px(x(tick))
            svg += "<line class=\"grid\" x1=\"\(tx)\" y1=\"\(Format.px(top - 6))\" x2=\"\(tx)\" y2=\"\(Format.px(height - bottom))\"/>"
            svg += "<text class=\"tick\" x=\"\(tx)\" y=\"\(Format.px(height - bottom + 16))\" text-anchor=\"middle\">\(Format.rating(tick))</text>\n"
        }
        svg += "<text class=\"axis-title\" x=\"\(Format.px(plotLeft))\" y=\"16\">rating (Elo scale) — bar: estimate, whisker: 95% interval</text>\n"
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowHeight
            let mid = y + rowHeight / 2
            let barX = x(axis.low)
            let barW = max(1, x(row.rating) - barX)
            svg += "<g><title>\(row.model.html): \(Format.rating(row.rating)) (95% \(Format.interval(row.ciLow, row.ciHigh)))</title>"
            svg += "<text class=\"label\" x=\"\(Format.px(plotLeft - 8))\" y=\"\(Format.px(mid + 4))\" text-anchor=\"end\">\(Chart.truncate(row.model, 26).html)</text>"
            svg += "<rect class=\"bar\(i == 0 ? " top" : "")\" x=\"\(Format.px(barX))\" y=\"\(Format.px(y + 5))\" width=\"\(Format.px(barW))\" height=\"\(Format.px(rowHeight - 10))\" rx=\"2\"/>"
            let lo = Format.px(x(row.ciLow)), hi = Format.px(x(row.ciHigh))
            svg += "<line class=\"whisker\" x1=\"\(lo)\" y1=\"\(Format.px(mid))\" x2=\"\(hi)\" y2=\"\(Format.px(mid))\"/>"
            svg += "<line class=\"whisker\" x1=\"\(lo)\" y1=\"\(Format.px(mid - 6))\" x2=\"\(lo)\" y2=\"\(Format.px(mid + 6))\"/>"
            svg += "<line class=\"whisker\" x1=\"\(hi)\" y1=\"\(Format.px(mid - 6))\" x2=\"\(hi)\" y2=\"\(Format.px(mid + 6))\"/>"
            svg += "<circle class=\"dot\" cx=\"\(Format.px(x(row.rating)))\" cy=\"\(Format.px(mid))\" r=\"3.5\"/>"
            svg += "<text class=\"value\" x=\"\(Format.px(width - valueWidth + 10))\" y=\"\(Format.px(mid + 4))\">\(Format.rating(row.rating)) <tspan class=\"muted\">\(Format.interval(row.ciLow, row.ciHigh))</tspan></text></g>\n"
        }
        svg += "</svg>"
        return svg
    }
}

// MARK: - Axis ticks

/// "Nice" axis bounds and tick values (steps of 1, 2 or 5 times a power of ten), after Heckbert,
/// "Nice numbers for graph labels", Graphics Gems (1990).
struct NiceAxis {
    var low: Double
    var high: Double
    var values: [Double]

    init(low rawLow: Double, high rawHigh: Double, ticks: Int) {
        var lo = rawLow, hi = rawHigh
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi - lo < 1e-9 { lo -= 1; hi += 1 }
        let step = NiceAxis.nice((hi - lo) / Double(max(ticks - 1, 1)))
        low = (lo / step).rounded(.down) * step
        high = (hi / step).rounded(.up) * step
        var values: [Double] = []
        var v = low
        while v <= high + step / 2 && values.count < 50 {
            values.append(v)
            v += step
        }
        self.values = values
    }

    private static func nice(_ raw: Double) -> Double {
        let exponent = raw > 0 && raw.isFinite ? log10(raw).rounded(.down) : 0
        let base = pow(10, exponent)
        let fraction = raw / base
        let niceFraction: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return niceFraction * base
    }
}

// MARK: - Shared chart helpers

enum Chart {
    /// Shortens a label for a chart axis (the full text stays in the table and the tooltip).
    static func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Ten colours that stay apart for the colour-blind (Tableau 10), cycled with dash patterns.
    static let palette = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]
    static let dashes = ["", "6 3", "2 3", "8 3 2 3"]
}
