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
        #if DEBUG
        // Debug builds mark every slot unwritten, for `_checkInvariants`.
        keys.initialize(repeating: KVCache.unwritten, count: layers * capacity * width)
        values.initialize(repeating: KVCache.unwritten, count: layers * capacity * width)
        #endif
    }

    /// A NaN payload that no fp16 rounding of a float produces: the mark of a slot never stored (debug).
    static let unwritten = Float16(bitPattern: 0x7E01)

    /// Debug builds: checks the shape, and that every layer holds a key and a value at each position
    /// before `end` — what attention is about to read. Release builds check nothing.
    func _checkInvariants(through end: Int) {
        #if DEBUG
        precondition(layers > 0 && capacity > 0 && width > 0, "KVCache: empty shape (\(layers), \(capacity), \(width))")
        precondition(end >= 0 && end <= capacity, "KVCache: position \(end) outside 0...\(capacity)")
        for layer in 0..<layers {
            for position in 0..<end {
                precondition(key(layer: layer, position: position).pointee.bitPattern != KVCache.unwritten.bitPattern
                             && value(layer: layer, position: position).pointee.bitPattern != KVCache.unwritten.bitPattern,
                             "KVCache: layer \(layer) position \(position) was never stored")
            }
        }
        #endif
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
