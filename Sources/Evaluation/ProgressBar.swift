import Foundation

/// Progress on stderr: a redrawn bar with counts, rate and ETA on a terminal, plain log lines otherwise.
///
/// On a terminal the line is redrawn in place at most ten times a second (and always at the end).
/// Off a terminal (CI logs, pipes, `nohup`) it prints one line when work starts, at each tenth of the way
/// and at the end — counts, elapsed time and ETA — so logs stay short and readable.
///
/// ```swift
/// let bar = ProgressBar(label: "judging")
/// bar.update(done: 10, total: 200, detail: "2 failed")
/// bar.finish()
/// ```
public final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let isTerminal: Bool
    private let output: (String) -> Void
    private let now: () -> Date
    private let lock = NSLock()
    private let start: Date
    private var lastTenth = -1
    private var lastDraw = Date.distantPast
    private var drewLine = false
    /// The first `done` seen: work finished before the bar began (a resumed run) does not count toward the rate.
    private var baseline: Int?

    /// - Parameters:
    ///   - isTerminal: whether stderr is a terminal (detected when nil).
    ///   - output: where text goes (default: stderr); tests capture it.
    ///   - now: the clock (tests pass their own).
    public init(label: String, isTerminal: Bool? = nil, output: ((String) -> Void)? = nil,
                now: @escaping () -> Date = Date.init) {
        self.label = label
        self.isTerminal = isTerminal ?? (isatty(STDERR_FILENO) == 1)
        self.output = output ?? { FileHandle.standardError.write(Data($0.utf8)) }
        self.now = now
        start = now()
    }

    public func update(done: Int, total: Int, detail: String = "") {
        lock.lock(); defer { lock.unlock() }
        let time = now()
        if baseline == nil { baseline = done }
        let elapsed = time.timeIntervalSince(start)
        let eta = Self.eta(done: done - (baseline ?? 0), remaining: total - done, elapsed: elapsed)
        let suffix = (eta.map { "  ETA \(Self.duration($0))" } ?? "") + (detail.isEmpty ? "" : "  \(detail)")
        if isTerminal {
            guard done >= total || time.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = time
            let width = 30
            let fraction = total <= 0 ? 1 : min(1, Double(done) / Double(total))
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let percent = String(format: "%3d%%", Int(fraction * 100))
            output("\r\u{1B}[2K\(label) \(bar) \(percent) \(done)/\(total)  \(Self.duration(elapsed))\(suffix)")
            drewLine = true
        } else {
            let tenth = total <= 0 ? 10 : min(10, done * 10 / total)
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            output("\(label): \(done)/\(total) after \(Self.duration(elapsed))\(suffix)\n")
        }
    }

    /// Ends the bar's line on a terminal.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if isTerminal, drewLine { output("\n"); drewLine = false }
    }

    /// Seconds left at the rate so far; nil before any progress or when nothing is left.
    static func eta(done: Int, remaining: Int, elapsed: Double) -> Double? {
        guard done > 0, remaining > 0, elapsed > 0 else { return nil }
        return elapsed / Double(done) * Double(remaining)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
