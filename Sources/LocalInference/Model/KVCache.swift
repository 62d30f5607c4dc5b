// MARK: - KVCache

/// Keys and values of one sequence, every layer and position, fp16 (llama.cpp's default cache type).
///
/// Laid out (layer, position, width) so attention reads one layer's positions front to back, and a
/// prompt chunk's keys land in consecutive rows. Allocated for the whole context but left uninitialized,
/// so the OS commits pages only as positions fill. Half the bytes of fp32: a 16-sequence batch's attention
/// streams every sequence's cache each step (fp16 made that batch 3 % faster, BENCHMARKS.md).
final class KVCache {
    let layers: Int
    let capacity: Int
    /// kvHeads × headDim.
    let width: Int
    /// (layers, capacity, width)
    let keys: UnsafeMutablePointer<Float16>
    /// (layers, capacity, width)
    let values: UnsafeMutablePointer<Float16>

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
    func key(layer: Int, position: Int) -> UnsafeMutablePointer<Float16> { keys + (layer * capacity + position) * width }

    /// (width) value of `layer` at `position`.
    @inline(__always)
    func value(layer: Int, position: Int) -> UnsafeMutablePointer<Float16> { values + (layer * capacity + position) * width }

    /// Stores `key` and `value` (width floats each), rounded to fp16, at `layer`, `position`.
    func store(key: UnsafePointer<Float>, value: UnsafePointer<Float>, layer: Int, position: Int) {
        let k = self.key(layer: layer, position: position), v = self.value(layer: layer, position: position)
        var i = 0
        while i + 8 <= width {
            UnsafeMutableRawPointer(k + i).storeBytes(of: halves(key.floats8(i)), as: SIMD8<Float16>.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: halves(value.floats8(i)), as: SIMD8<Float16>.self)
            i += 8
        }
        while i < width { k[i] = Float16(key[i]); v[i] = Float16(value[i]); i += 1 }
    }
}
