/// A binary heap whose `popFirst` returns the element that sorts first by `<`.
///
/// The merge loops of both BPE tokenizers keep their candidate pairs here, so a word of n symbols
/// costs O(n log n) rather than the O(n²) of rescanning for the best pair after every merge.
struct BinaryHeap<Element: Comparable> {
    /// Heap-ordered: `storage[i] <= storage[2i+1]`, `storage[i] <= storage[2i+2]`.
    private(set) var storage: [Element] = []

    var isEmpty: Bool { storage.isEmpty }

    mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    /// - Complexity: O(log n)
    mutating func insert(_ element: Element) {
        storage.append(element)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard storage[child] < storage[parent] else { break }
            storage.swapAt(child, parent)
            child = parent
        }
    }

    /// - Complexity: O(log n)
    mutating func popFirst() -> Element? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        let first = storage[0]
        storage[0] = last
        var parent = 0
        let count = storage.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { break }
            let right = left + 1
            var best = left
            if right < count && storage[right] < storage[left] { best = right }
            guard storage[best] < storage[parent] else { break }
            storage.swapAt(best, parent)
            parent = best
        }
        return first
    }
}
