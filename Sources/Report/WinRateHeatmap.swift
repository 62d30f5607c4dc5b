import Rank
import Foundation

// MARK: - Win-rate heatmap (inline SVG)

/// The observed win-rate matrix as coloured cells: row model beats column model, red (0%) through
/// white (50%) to blue (100%); grey where two models never met. Each cell's tooltip gives the
/// rate and the number of comparisons behind it.
struct WinRateHeatmap {
    var matrix: WinRateMatrix

    func render() -> String {
        let n = matrix.models.count
        guard n > 0 else { return "" }
        let cell = max(16, min(46, 620 / Double(n)))
        let labelWidth = 190.0
        let headerHeight = 130.0
        let width = labelWidth + Double(n) * cell + headerHeight * 0.75
        let height = headerHeight + Double(n) * cell + 10
        let showNumbers = cell >= 30

        var svg = """
        <svg class="chart heatmap" role="img" aria-label="Win-rate matrix" viewBox="0 0 \(Format.px(width)) \(Format.px(height))" width="\(Format.px(width))" height="\(Format.px(height))" xmlns="http://www.w3.org/2000/svg">

        """
        for (j, model) in matrix.models.enumerated() {
            let cx = labelWidth + (Double(j) + 0.5) * cell
            let y = headerHeight - 8
            svg += "<text class=\"label\" transform=\"translate(\(Format.px(cx + 4)) \(Format.px(y))) rotate(-50)\">\(Chart.truncate(model, 22).html)</text>\n"
        }
        for (i, rowModel) in matrix.models.enumerated() {
            let y = headerHeight + Double(i) * cell
            svg += "<text class=\"label\" x=\"\(Format.px(labelWidth - 8))\" y=\"\(Format.px(y + cell / 2 + 4))\" text-anchor=\"end\">\(Chart.truncate(rowModel, 26).html)</text>\n"
            for (j, colModel) in matrix.models.enumerated() {
                let x = labelWidth + Double(j) * cell
                let rate = i < matrix.rates.count && j < matrix.rates[i].count ? matrix.rates[i][j] : nil
                let count = i < matrix.counts.count && j < matrix.counts[i].count ? matrix.counts[i][j] : 0
                let fill = i == j ? "#e8e8e8" : (rate.map(WinRateHeatmap.color) ?? "#f4f4f4")
                let tip: String
                if i == j {
                    tip = rowModel
                } else if let rate {
                    tip = "\(rowModel) beats \(colModel): \(Format.percent(rate)) of \(Format.count(count)) comparisons"
                } else {
                    tip = "\(rowModel) and \(colModel) were never compared"
                }
                svg += "<g><title>\(tip.html)</title><rect x=\"\(Format.px(x))\" y=\"\(Format.px(y))\" width=\"\(Format.px(cell - 1))\" height=\"\(Format.px(cell - 1))\" fill=\"\(fill)\"/>"
                if showNumbers, i != j, let rate {
                    let dark = abs(rate - 0.5) > 0.3
                    svg += "<text class=\"cell\(dark ? " inverse" : "")\" x=\"\(Format.px(x + cell / 2 - 0.5))\" y=\"\(Format.px(y + cell / 2 + 4))\" text-anchor=\"middle\">\(Format.fixed(rate * 100, 0))</text>"
                }
                svg += "</g>"
            }
            svg += "\n"
        }
        svg += "</svg>"
        return svg
    }

    /// Diverging red–white–blue: 0 → #c0392b-ish, 0.5 → white, 1 → #2c6fbb-ish.
    static func color(_ rate: Double) -> String {
        let t = min(1, max(0, rate))
        let (r, g, b): (Double, Double, Double)
        if t < 0.5 {
            let s = t / 0.5  // 0 at red, 1 at white
            (r, g, b) = (202 + (255 - 202) * s, 64 + (255 - 64) * s, 56 + (255 - 56) * s)
        } else {
            let s = (t - 0.5) / 0.5  // 0 at white, 1 at blue
            (r, g, b) = (255 + (44 - 255) * s, 255 + (111 - 255) * s, 255 + (187 - 255) * s)
        }
        func hex(_ v: Double) -> String {
            let n = Int(v.rounded())
            let digits = String(n, radix: 16)
            return n < 16 ? "0" + digits : digits
        }
        return "#" + hex(r) + hex(g) + hex(b)
    }
}
