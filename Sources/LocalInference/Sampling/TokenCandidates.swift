// MARK: - TokenCandidate

/// One token still in the running for the draw.
struct TokenCandidate {
    var id: Int32
    var logit: Float
}

extension TokenCandidate {
    /// The order every filter uses: higher logit first, lower id first among equal logits.
    /// A total order, so the result never depends on the sorting algorithm.
    @inline(__always)
    static func ranksAbove(_ a: TokenCandidate, _ b: TokenCandidate) -> Bool {
        a.logit > b.logit || (a.logit == b.logit && a.id < b.id)
    }
}

// MARK: - TokenCandidates

/// The sampler's working set: the live candidates in the first `count` slots of a buffer sized once
/// for the vocabulary, so a draw allocates nothing.
///
/// Filters shrink `count`; once `isSorted` is set, the live slots are in `ranksAbove` order.
struct TokenCandidates {
    /// (vocabularySize) candidates; slots at `count` and beyond are stale.
    private(set) var storage: [TokenCandidate]
    /// How many leading slots are live.
    private(set) var count: Int = 0
    /// Whether the live slots are sorted best first.
    private(set) var isSorted = false

    init(vocabularySize: Int) {
        storage = [TokenCandidate](repeating: TokenCandidate(id: 0, logit: 0), count: vocabularySize)
    }

    var vocabularySize: Int { storage.count }

    /// Fills the buffer with every token, in id order.
    mutating func load(_ logits: UnsafeBufferPointer<Float>) {
        precondition(logits.count == storage.count, "logits (\(logits.count)) do not match the vocabulary (\(storage.count))")
        storage.withUnsafeMutableBufferPointer { slots in
            for index in 0..<slots.count {
                slots[index] = TokenCandidate(id: Int32(index), logit: logits[index])
            }
        }
        count = logits.count
        isSorted = false
    }

    subscript(index: Int) -> TokenCandidate {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Keeps the first `newCount` live slots.
    mutating func truncate(to newCount: Int) {
        count = max(0, min(count, newCount))
    }

    /// Multiplies every live logit by `factor`.
    mutating func scaleLogits(by factor: Float) {
        let live = count
        storage.withUnsafeMutableBufferPointer { slots in
            for index in 0..<live { slots[index].logit *= factor }
        }
    }

    /// The best live candidate (linear scan, no sorting needed).
    func best() -> TokenCandidate {
        precondition(count > 0, "no candidate left")
        if isSorted { return storage[0] }
        return storage.withUnsafeBufferPointer { slots in
            var best = slots[0]
            for index in 1..<count where TokenCandidate.ranksAbove(slots[index], best) { best = slots[index] }
            return best
        }
    }

    /// Moves the `k` best live candidates to the front, best first, and drops the rest.
    ///
    /// A bounded min-heap over the first k slots collects the k best in one pass, then heap-sorting it
    /// yields them in order; no allocation.
    /// - Complexity: O(n log k) for n live candidates.
    mutating func keepBest(_ k: Int) {
        let k = min(k, count)
        if isSorted { count = k; return }
        guard k > 0 else { count = 0; return }
        let live = count
        storage.withUnsafeMutableBufferPointer { slots in
            // Heap of the k best seen so far, worst at the root.
            for index in stride(from: k / 2 - 1, through: 0, by: -1) { Self.siftDown(slots, from: index, size: k) }
            for index in k..<live where TokenCandidate.ranksAbove(slots[index], slots[0]) {
                slots.swapAt(0, index)
                Self.siftDown(slots, from: 0, size: k)
            }
            // Heap-sort: the worst goes to the back each round, leaving best-first order.
            var size = k
            while size > 1 {
                slots.swapAt(0, size - 1)
                size -= 1
                Self.siftDown(slots, from: 0, size: size)
            }
        }
        count = k
        isSorted = true
    }

    /// Sorts every live candidate best first.
    mutating func sort() {
        keepBest(count)
    }

    /// Restores the min-heap property (worst candidate at the root) below `start`.
    @inline(__always)
    private static func siftDown(_ slots: UnsafeMutableBufferPointer<TokenCandidate>, from start: Int, size: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            if left >= size { return }
            var worst = left
            let right = left + 1
            if right < size, TokenCandidate.ranksAbove(slots[left], slots[right]) { worst = right }
            if TokenCandidate.ranksAbove(slots[parent], slots[worst]) {
                slots.swapAt(parent, worst)
                parent = worst
            } else {
                return
            }
        }
    }
}
