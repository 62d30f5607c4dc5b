// MARK: - Rating over time (inline SVG)

/// One line per model across the dated snapshots, oldest on the left. Models are listed in the
/// legend in the order of the latest snapshot; colours cycle through ``Chart/palette`` and then
/// change dash pattern, so up to 40 models stay distinguishable.
struct RatingHistoryChart {
    var snapshots: [RatingSnapshot]
    /// Legend order (the current leaderboard, best first); models not in it follow alphabetically.
    var order: [String]

    private let plotWidth = 560.0
    private let plotHeight = 300.0
    private let left = 56.0
    private let top = 16.0
    private let legendWidth = 210.0

    func render() -> String {
        guard !snapshots.isEmpty else { return "" }
        var models = order
        let known = Set(order)
        let extra = Set(snapshots.flatMap { $0.ratings.map(\.model) }).subtracting(known).sorted()
        models += extra
        let all = snapshots.flatMap { $0.ratings.map(\.rating) }
        guard let minR = all.min(), let maxR = all.max() else { return "" }
        let axis = NiceAxis(low: minR, high: maxR, ticks: 6)
        let count = snapshots.count
        func x(_ i: Int) -> Double {
            count == 1 ? left + plotWidth / 2 : left + Double(i) / Double(count - 1) * plotWidth
        }
        func y(_ v: Double) -> Double { top + (axis.high - v) / (axis.high - axis.low) * plotHeight }
        let legendRows = Double(models.count) * 18
        let height = max(top + plotHeight + 46, top + legendRows + 10)
        let width = left + plotWidth + 24 + legendWidth

        var svg = """
        <svg class="chart" role="img" aria-label="Ratings over time" viewBox="0 0 \(Format.px(width)) \(Format.px(height))" width="\(Format.px(width))" height="\(Format.px(height))" xmlns="http://www.w3.org/2000/svg">

        """
        for tick in axis.values {
            let ty = Format.px(y(tick))
            svg += "<line class=\"grid\" x1=\"\(Format.px(left))\" y1=\"\(ty)\" x2=\"\(Format.px(left + plotWidth))\" y2=\"\(ty)\"/>"
            svg += "<text class=\"tick\" x=\"\(Format.px(left - 6))\" y=\"\(Format.px(y(tick) + 4))\" text-anchor=\"end\">\(Format.rating(tick))</text>\n"
        }
        // Date labels: at most ~8, always the first and the last.
        let step = max(1, Int((Double(count) / 8).rounded(.up)))
        var labelled = Array(Swift.stride(from: 0, to: count, by: step))
        if labelled.last != count - 1 {
            if labelled.count > 1, let last = labelled.last, count - 1 - last <= step / 2 { labelled.removeLast() }
            labelled.append(count - 1)
        }
        for i in labelled {
            svg += "<text class=\"tick\" x=\"\(Format.px(x(i)))\" y=\"\(Format.px(top + plotHeight + 18))\" text-anchor=\"middle\">\(snapshots[i].date.html)</text>\n"
        }
        for (m, model) in models.enumerated() {
            let color = Chart.palette[m % Chart.palette.count]
            let dash = Chart.dashes[(m / Chart.palette.count) % Chart.dashes.count]
            let dashAttr = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
            var points: [(Int, Double)] = []
            for (i, snap) in snapshots.enumerated() {
                if let r = snap.ratings.first(where: { $0.model == model }) { points.append((i, r.rating)) }
            }
            svg += "<g><title>\(model.html)</title>"
            if points.count > 1 {
                let path = points.map { "\(Format.px(x($0.0))),\(Format.px(y($0.1)))" }.joined(separator: " ")
                svg += "<polyline class=\"line\" points=\"\(path)\" stroke=\"\(color)\"\(dashAttr)/>"
            }
            for (i, r) in points {
                svg += "<circle cx=\"\(Format.px(x(i)))\" cy=\"\(Format.px(y(r)))\" r=\"3\" fill=\"\(color)\"><title>\(model.html) on \(snapshots[i].date.html): \(Format.rating(r))</title></circle>"
            }
            let ly = top + Double(m) * 18 + 6
            let lx = left + plotWidth + 24
            svg += "<line x1=\"\(Format.px(lx))\" y1=\"\(Format.px(ly))\" x2=\"\(Format.px(lx + 22))\" y2=\"\(Format.px(ly))\" stroke=\"\(color)\" stroke-width=\"2.5\"\(dashAttr)/>"
            svg += "<text class=\"label\" x=\"\(Format.px(lx + 28))\" y=\"\(Format.px(ly + 4))\">\(Chart.truncate(model, 24).html)</text></g>\n"
        }
        svg += "</svg>"
        return svg
    }
}
