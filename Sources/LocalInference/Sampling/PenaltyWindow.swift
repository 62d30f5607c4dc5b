// MARK: - PenaltyWindow

/// The last `capacity` tokens of a sequence, oldest overwritten first; allocated once.
struct PenaltyWindow: Sequence {
    /// (capacity) ring of token ids; the live ones are the last `count` written.
    private var ring: [Int32]
    private var next = 0
    private(set) var count = 0

    init(capacity: Int) {
        ring = [Int32](repeating: 0, count: Swift.max(0, capacity))
    }

    var capacity: Int { ring.count }
    var isEmpty: Bool { count == 0 }

    mutating func append(_ token: Int32) {
        guard !ring.isEmpty else { return }
        ring[next] = token
        next = (next + 1) % ring.count
        count = Swift.min(count + 1, ring.count)
    }

    mutating func removeAll() {
        next = 0
        count = 0
    }

    /// Oldest first; a plain struct iterator, so walking the window allocates nothing.
    struct Iterator: IteratorProtocol {
        fileprivate let ring: [Int32]
        fileprivate let start: Int
        fileprivate let count: Int
        fileprivate var offset = 0

        mutating func next() -> Int32? {
            guard offset < count else { return nil }
            defer { offset += 1 }
            return ring[(start + offset) % ring.count]
        }
    }

    func makeIterator() -> Iterator {
        let start = ring.isEmpty ? 0 : (next - count + ring.count) % ring.count
        return Iterator(ring: ring, start: start, count: count)
    }
}
