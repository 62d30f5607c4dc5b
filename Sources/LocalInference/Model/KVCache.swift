// MARK: - KVCache

/// Keys and values of one sequence, every layer and position, fp32.
///
/// Laid out (layer, position, width) so attention reads one layer's positions front to back, and a
/// prompt chunk's keys land in consecutive rows. Allocated for the whole context but left uninitialized,
/// so the OS commits pages only as positions fill.
final class KVCache {
    let layers: Int
    let capacity: Int
    /// kvHeads × headDim.
    let width: Int
    /// (layers, capacity, width)
    let keys: UnsafeMutablePointer<Float>
    /// (layers, capacity, width)
    let values: UnsafeMutablePointer<Float>

    init(layers: Int, capacity: Int, width: Int) {
        self.layers = layers
        self.capacity = capacity
        self.width = width
        keys = .allocate(capacity: layers * capacity * width)
        values = .allocate(capacity: layers * capacity * width)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// (width) key of `layer` at `position`.
    @inline(__always)
    func key(layer: Int, position: Int) -> UnsafeMutablePointer<Float> { keys + (layer * capacity + position) * width }

    /// (width) value of `layer` at `position`.
    @inline(__always)
    func value(layer: Int, position: Int) -> UnsafeMutablePointer<Float> { values + (layer * capacity + position) * width }
}
