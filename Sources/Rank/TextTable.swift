// MARK: - TextTable: the one aligned plain-text table printer

/// An aligned plain-text table: columns as wide as their widest cell, two spaces apart, numbers
/// right-aligned and the columns named in `leftAligned` (names, labels) left-aligned. Every table the
/// tool prints — leaderboards, the held-out check, judge configurations — goes through it.
///
/// ```swift
/// let text = TextTable(header: ["model", "rating"], leftAligned: [0]).render([["alpha", "1012.3"]])
/// ```
public struct TextTable: Sendable {
    public var header: [String]
    public var leftAligned: Set<Int>

    public init(header: [String], leftAligned: Set<Int>) {
        self.header = header
        self.leftAligned = leftAligned
    }

    /// The header line and one line per row, each ending in a newline.
    public func render(_ rows: [[String]]) -> String {
        lines(rows).map { $0 + "\n" }.joined()
    }

    /// The header line and one line per row, without newlines.
    public func lines(_ rows: [[String]]) -> [String] {
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return leftAligned.contains(c) ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return [line(header)] + rows.map(line)
    }
}
