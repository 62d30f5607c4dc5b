// MARK: - StopStringFilter

/// Cuts generated text at the first user stop string, never letting any part of the stop string out.
///
/// Text that could still turn out to be the start of a stop string is held back until the next piece
/// settles it. Works on UTF-8 bytes: a stop string is valid UTF-8, so a match or a held-back suffix always
/// starts on a character boundary and the released text is always whole characters.
///
/// ```swift
/// var filter = StopStringFilter(stopStrings: ["\nUser:"])
/// filter.append("Hello\nUs")   // → ("Hello", stopped: false), "\nUs" held
/// filter.append("er: hi")      // → ("", stopped: true)
/// ```
struct StopStringFilter {
    /// The stop strings as UTF-8, none empty.
    let stopStrings: [[UInt8]]
    /// Text not yet released: complete characters, at most (longest stop string − 1) bytes between calls.
    private(set) var pending: [UInt8] = []

    init(stopStrings: [String]) {
        self.stopStrings = stopStrings.map { Array($0.utf8) }.filter { !$0.isEmpty }
        pending.reserveCapacity((self.stopStrings.map(\.count).max() ?? 0) + 64)
    }

    /// Adds a piece of text; returns what may be shown now and whether a stop string was completed
    /// (then nothing after the text before it is ever released).
    mutating func append(_ piece: String) -> (text: String, stopped: Bool) {
        if stopStrings.isEmpty { return (piece, false) }
        pending.append(contentsOf: piece.utf8)
        if let match = earliestMatch() {
            let text = String(decoding: pending[..<match], as: UTF8.self)
            pending.removeAll(keepingCapacity: true)
            return (text, true)
        }
        let held = longestHeldSuffix()
        let releasedCount = pending.count - held
        let text = String(decoding: pending[..<releasedCount], as: UTF8.self)
        pending.removeFirst(releasedCount)
        return (text, false)
    }

    /// Releases whatever is held back (the sequence ended without completing a stop string).
    mutating func flush() -> String {
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The byte offset of the earliest complete stop string in `pending`.
    private func earliestMatch() -> Int? {
        var earliest: Int?
        for stop in stopStrings where stop.count <= pending.count {
            var start = 0
            while start + stop.count <= pending.count, start < (earliest ?? Int.max) {
                if pending[start] == stop[0] && pending[start..<(start + stop.count)].elementsEqual(stop) {
                    earliest = start
                    break
                }
                start += 1
            }
        }
        return earliest
    }

    /// The length of the longest suffix of `pending` that is a proper prefix of some stop string.
    private func longestHeldSuffix() -> Int {
        var longest = 0
        for stop in stopStrings {
            var length = min(stop.count - 1, pending.count)
            while length > longest {
                if pending[(pending.count - length)...].elementsEqual(stop[..<length]) {
                    longest = length
                    break
                }
                length -= 1
            }
        }
        return longest
    }
}
