import Foundation

/// Progress on stderr: a redrawn bar with counts and ETA on a terminal, plain lines otherwise.
///
/// Off a terminal (CI logs, pipes) it prints one line at each tenth of the way and at the end,
/// so logs stay short and readable.
///
/// ```swift
/// let bar = ProgressBar(label: "judging")
/// bar.update(done: 10, total: 200, detail: "2 failed")
/// bar.finish()
/// ```
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let isTerminal: Bool
    private let lock = NSLock()
    private let start = Date()
    private var lastDecile = -1
    private var lastDraw = Date.distantPast
    private var drewLine = false

    /// - Parameter isTerminal: whether stderr is a terminal (detected when nil).
    public init(label: String, isTerminal: Bool? = nil) {
        self.label = label
        self.isTerminal = isTerminal ?? (isatty(STDERR_FILENO) == 1)
    }

    public func update(done: Int, total: Int, detail: String = "") {
        lock.lock(); defer { lock.unlock() }
        if isTerminal {
            let now = Date()
            guard done == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            let width = 30
            let fraction = total == 0 ? 1 : Double(done) / Double(total)
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let elapsed = now.timeIntervalSince(start)
            let eta = done == 0 || done == total ? "" : " ETA \(Self.duration(elapsed / Double(done) * Double(total - done)))"
            write("\r\u{1B}[2K\(label) \(bar) \(done)/\(total)\(eta)\(detail.isEmpty ? "" : "  \(detail)")")
            drewLine = true
        } else {
            let decile = total == 0 ? 10 : done * 10 / total
            guard decile > lastDecile else { return }
            lastDecile = decile
            write("\(label): \(done)/\(total)\(detail.isEmpty ? "" : " (\(detail))")\n")
        }
    }

    /// Ends the bar's line on a terminal.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if isTerminal, drewLine { write("\n"); drewLine = false }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
