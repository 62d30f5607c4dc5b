// Row-dot kernels: one quantized weight row · one fp32 activation vector, dequantizing on the fly.
// `RowDotTests` checks each against the scalar reference (`dequantizeRow` then a plain dot) under a
// named tolerance. Faster int8-activation kernels (issue #6) are added beside these, not instead.

/// A row-dot kernel: (row, x, count) → Σ w[i] x[i].
typealias RowDotKernel = (UnsafeRawPointer, UnsafePointer<Float>, Int) -> Float

enum RowDot {
    /// The kernel for `type` (supported types only).
    static func kernel(for type: GGMLType) -> RowDotKernel {
        switch type {
        case .f32: return dotF32
        case .q8_0: return { row, x, n in blockwise(row, x, n, blockSize: 32, blockBytes: 34, dequantizeQ8_0) }
        case .q4_0: return { row, x, n in blockwise(row, x, n, blockSize: 32, blockBytes: 18, dequantizeQ4_0) }
        case .q4_1: return { row, x, n in blockwise(row, x, n, blockSize: 32, blockBytes: 20, dequantizeQ4_1) }
        case .f16: return { row, x, n in
            var sum = blockwise(row, x, n, blockSize: 16, blockBytes: 32) { b, y in for i in 0..<16 { y[i] = b.half(2 * i) } }
            for i in (n - n % 16)..<n { sum += row.half(2 * i) * x[i] }   // rows need not be whole groups of 16
            return sum
        }
        case .bf16: return { row, x, n in
            var sum = blockwise(row, x, n, blockSize: 16, blockBytes: 32) { b, y in for i in 0..<16 { y[i] = bf16ToFloat(b.u16(2 * i)) } }
            for i in (n - n % 16)..<n { sum += bf16ToFloat(row.u16(2 * i)) * x[i] }
            return sum
        }
        case .q5_0: return { row, x, n in blockwise(row, x, n, blockSize: 32, blockBytes: 22, dequantizeQ5_0) }
        case .q5_1: return { row, x, n in blockwise(row, x, n, blockSize: 32, blockBytes: 24, dequantizeQ5_1) }
        case .q2_K: return { row, x, n in blockwise(row, x, n, blockSize: 256, blockBytes: 84, dequantizeQ2_K) }
        case .q3_K: return { row, x, n in blockwise(row, x, n, blockSize: 256, blockBytes: 110, dequantizeQ3_K) }
        case .q4_K: return { row, x, n in blockwise(row, x, n, blockSize: 256, blockBytes: 144, dequantizeQ4_K) }
        case .q5_K: return { row, x, n in blockwise(row, x, n, blockSize: 256, blockBytes: 176, dequantizeQ5_K) }
        case .q6_K: return { row, x, n in blockwise(row, x, n, blockSize: 256, blockBytes: 210, dequantizeQ6_K) }
        default: preconditionFailure("no row-dot kernel for \(type.name)")
        }
    }

    // MARK: - Plain float dot

    /// Σ a[i] b[i] with eight independent accumulators (vectorizes; `count` any size).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
            let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            acc += va * vb
            i += 8
        }
        var sum = acc.sum()
        while i < count { sum += a[i] * b[i]; i += 1 }
        return sum
    }

    static func dotF32(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int) -> Float {
        dot(row.assumingMemoryBound(to: Float.self), x, n)
    }

    // MARK: - Generic: dequantize one block to the stack, then dot

    @inline(__always)
    static func blockwise(_ row: UnsafeRawPointer, _ x: UnsafePointer<Float>, _ n: Int,
                          blockSize: Int, blockBytes: Int,
                          _ dequantize: (UnsafeRawPointer, UnsafeMutablePointer<Float>) -> Void) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: blockSize) { buffer in
            let y = buffer.baseAddress!
            // One vector accumulator across all blocks: a horizontal sum per block cost more than the block.
            var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
            for b in 0..<(n / blockSize) {
                dequantize(row + b * blockBytes, y)
                let xs = x + b * blockSize
                var i = 0
                while i < blockSize {
                    acc0 += UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
                        * UnsafeRawPointer(xs + i).loadUnaligned(as: SIMD8<Float>.self)
                    acc1 += UnsafeRawPointer(y + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                        * UnsafeRawPointer(xs + i + 8).loadUnaligned(as: SIMD8<Float>.self)
                    i += 16
                }
            }
            return (acc0 + acc1).sum()
        }
    }
}
