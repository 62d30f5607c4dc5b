#if JUDGE_X86_V3
import CInt8VNNI
#endif

/// The instructions the interleaved Q4_0 and Q4_K kernels sum their integer products with, chosen per model
/// at load (`EngineConfiguration.vnni`) and kept with each interleaved matrix (`WeightMatrix.kernels`).
///
/// VNNI's `vpdpbusd` adds the four u8 × s8 products of each 32-bit lane in one instruction, where AVX2 needs
/// three (vpmaddubsw, vpaddw, and vpmaddwd once per block). The sums are exact either way and become floats in
/// the same order, so every choice gives the AVX2 kernels' results bit for bit (`InterleavedKernelTests`).
/// Only Q4_0 and Q4_K, the types of 7B fine-tunes, have VNNI kernels; the other types keep AVX2's.
enum InterleavedKernels: Sendable, Equatable, CaseIterable {
    /// vpmaddubsw and vpmaddwd, in Swift (`Int8Dot+Interleaved8Rows.swift`): every x86-64-v3 CPU.
    case avx2
    /// vpdpbusd with EVEX (CInt8VNNI): AVX-512 F, BW, VL and VNNI (Ice Lake and later Xeons, AMD Zen 4 and 5).
    case avx512VNNI
    /// vpdpbusd with VEX (CInt8VNNI): AVX-VNNI without AVX-512 (Alder Lake and later client CPUs).
    case avxVNNI
    /// vpdpbusd's definition in plain C around the same kernel code: how the tests check the VNNI kernels on
    /// a CPU without VNNI. Never chosen for inference.
    case emulatedVNNI

    /// The VNNI forms this CPU and operating system run (`judge_cpu_vnni`'s bits: 2 AVX-512 VNNI, 1 AVX-VNNI;
    /// CPUID and XGETBV, read once).
    private static let forms: Int32 = {
        #if JUDGE_X86_V3
        return judge_cpu_vnni()
        #else
        return 0
        #endif
    }()

    /// The fastest kernels this CPU runs: AVX-512 VNNI's where it has both forms (the same instruction;
    /// EVEX adds nothing these 256-bit kernels use, but the choice then matches the CPU's newest feature).
    static let best: InterleavedKernels = forms & 2 != 0 ? .avx512VNNI : forms & 1 != 0 ? .avxVNNI : .avx2

    /// Whether this CPU can run them. Each VNNI form is its own feature: AMD's Zen 4 runs AVX-512 VNNI and
    /// faults on AVX-VNNI.
    var runsHere: Bool {
        switch self {
        case .avx2, .emulatedVNNI: return true
        case .avx512VNNI: return Self.forms & 2 != 0
        case .avxVNNI: return Self.forms & 1 != 0
        }
    }

    /// The most vectors one tile multiplies at once, for batches of more than four: eight where the form
    /// has AVX-512's 32 vector registers for eight vectors' sums (each weight then unpacked once for eight
    /// vectors), else four.
    var widestTile: Int {
        switch self {
        case .avx512VNNI, .emulatedVNNI: return 8
        case .avx2, .avxVNNI: return 4
        }
    }

    /// For reports: the instructions, as `bench-model` and `--verbose` print them.
    var name: String {
        switch self {
        case .avx2: return "AVX2"
        case .avx512VNNI: return "AVX-512 VNNI (vpdpbusd)"
        case .avxVNNI: return "AVX-VNNI (vpdpbusd)"
        case .emulatedVNNI: return "emulated VNNI"
        }
    }
}
