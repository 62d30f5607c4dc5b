// The interleaved Q4_0 and Q4_K tiles with VNNI (`InterleavedKernels`): the innermost loops are C
// (CInt8VNNI, since Swift cannot emit `vpdpbusd`), the AVX2 tiles of `Int8Dot+Interleaved8Rows.swift` are
// their reference, and the arguments here are those tiles' pointers and strides.

#if JUDGE_X86_V3
import CInt8VNNI

extension Int8Dot {
    /// `tileQ4_0x8` / `tileQ4_Kx8` (`width` 1, 4, or 8 within `kernels.widestTile`) with `kernels`' instructions.
    @inline(__always)
    static func tileVNNI(_ kernels: InterleavedKernels, _ type: GGMLType, width: Int32, _ group: UnsafeRawPointer,
                         first: Int, blocks: Int, _ a: Q8Activations, s0: Int, count: Int,
                         _ out: UnsafeMutablePointer<Float>, outStride: Int) {
        let x = UnsafeRawPointer(activationBlock(a, first, s0)), blockStep = 32 * a.stride
        if type == .q4_0 {
            let kernel = switch kernels {
            case .avx512VNNI: judge_avx512vnni_q4_0x8
            case .avxVNNI: judge_avxvnni_q4_0x8
            default: judge_emulated_q4_0x8
            }
            kernel(width, group, first, blocks, x, blockStep, a.scales + first * a.stride + s0, a.stride,
                   a.sums + first * a.sumStride + s0, a.sumStride, Int32(count), out, outStride, prefetchDistance)
        } else {
            let kernel = switch kernels {
            case .avx512VNNI: judge_avx512vnni_q4_Kx8
            case .avxVNNI: judge_avxvnni_q4_Kx8
            default: judge_emulated_q4_Kx8
            }
            kernel(width, group, first, blocks, x, blockStep, a.scales + first / 8 * a.stride + s0, a.stride,
                   a.totals + s0 * a.blocks, a.blocks, Int32(count), out, outStride, prefetchDistance)
        }
    }
}
#endif
