import Foundation

// MARK: - Number formatting shared by the renderers

/// Fixed, locale-free number formats, so the same data always renders to the same bytes.
enum Format {
    /// `value` with `digits` decimals, never "-0".
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "-∞") }
        let scale = pow(10.0, Double(digits))
        let rounded = (value * scale).rounded() / scale
        return String(format: "%.\(digits)f", rounded == 0 ? 0 : rounded)
    }

    /// A rating, to the unit (Elo points).
    static func rating(_ value: Double) -> String { fixed(value, 0) }

    /// A 95% interval as "low – high".
    static func interval(_ low: Double, _ high: Double) -> String {
        "\(rating(low)) – \(rating(high))"
    }

    /// A share in [0, 1] as a percentage with one decimal; "–" when unknown.
    static func percent(_ value: Double?) -> String {
        guard let value else { return "–" }
        return fixed(value * 100, 1) + "%"
    }

    /// A signed rating change ("+4.2", "-3.0", "±0.0"); "new" when there is no earlier value.
    static func change(_ value: Double?) -> String {
        guard let value else { return "new" }
        let text = fixed(value, 1)
        if text == "0.0" { return "±0.0" }
        return value > 0 ? "+" + text : text
    }

    /// An integer with thousands separators ("1,000,000").
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return value < 0 ? "-" + out : out
    }

    /// US dollars with cents (or four decimals under a dollar); "–" when unknown.
    static func dollars(_ value: Double?) -> String {
        guard let value else { return "–" }
        return "$" + fixed(value, value < 1 ? 4 : 2)
    }

    /// A coordinate in an SVG, to a tenth of a pixel.
    static func px(_ value: Double) -> String { fixed(value, 1) }
}
