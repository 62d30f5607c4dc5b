/// How the engine computes: its worker threads, when a batch switches to sgemm, and the weight layout.
///
/// Passed to `LlamaModel` and fixed for its life; the engine reads no environment variable (the `judge`
/// command line maps `JUDGE_THREADS`, `JUDGE_GEMM_MIN_BATCH`, `JUDGE_POOL`, `JUDGE_REPACK` and `JUDGE_VNNI`
/// onto it).
public struct EngineConfiguration: Sendable, Equatable {
    /// How parallel work is handed to threads.
    public enum Workers: String, Sendable, CaseIterable {
        /// Persistent threads that spin briefly between jobs (`WorkerPool`): a decode step issues a job
        /// every few tens of µs, and starting one costs ≈ 1 µs instead of several.
        case pool
        /// `DispatchQueue.concurrentPerform` per job, for comparison.
        case dispatch
    }

    /// Worker threads (≥ 1), the calling thread included.
    public var threads: Int
    /// Rows of a batch from which projections go through sgemm on dequantized tiles instead of the integer
    /// kernels (`ForwardPass.project`).
    public var gemmMinimumBatch: Int
    public var workers: Workers
    /// Whether weights with an interleaved layout (Q4_0, Q5_0, Q8_0, Q4_K, Q6_K on x86-64-v3) are repacked at
    /// load into memory of the process's own (`WeightMatrix.repacked(on:)`); off, they stay mapped from the file.
    public var repack: Bool
    /// Whether interleaved Q4_0 and Q4_K weights use VNNI kernels (`vpdpbusd`) when the CPU has AVX-512 VNNI
    /// or AVX-VNNI (`InterleavedKernels`, detected at run time); off, or on other CPUs, AVX2's.
    public var vnni: Bool

    /// The default batch size from which sgemm wins: measured 2026-11-26 on SmolLM2 Q4_1, 2 threads
    /// (`judge bench-model -p N -n 0`): the integer kernels gave 456 / 464 / 446 prompt tokens/s at 16 / 32 / 64
    /// rows against sgemm's 286 / 369 / 431; sgemm won from about 96 rows (449 vs 440) and at 256 (428 vs 362).
    public static let defaultGEMMMinimumBatch = 64

    /// The kernels of interleaved Q4_0 and Q4_K matrices under this configuration, on this CPU.
    var interleavedKernels: InterleavedKernels { vnni ? InterleavedKernels.best : .avx2 }

    /// The kernels this build computes with under this configuration on this CPU, for reports: x86-64-v3
    /// (with VNNI's for interleaved Q4_0 and Q4_K where the CPU has it), or portable fp32.
    public var kernels: String {
        #if JUDGE_X86_V3
        guard repack else { return "x86-64-v3 (AVX2, FMA, F16C) integer kernels, weights in the file's layout" }
        let vnniNote: String
        switch interleavedKernels {
        case .avx2:
            vnniNote = InterleavedKernels.best == .avx2 ? "no VNNI on this CPU" : "VNNI off (JUDGE_VNNI=0)"
        default:
            vnniNote = "Q4_0/Q4_K with \(interleavedKernels.name)"
        }
        return "x86-64-v3 (AVX2, FMA, F16C) integer kernels, Q4_0/Q5_0/Q8_0/Q4_K/Q6_K weights interleaved by 8 rows "
            + "at load; \(vnniNote)"
        #else
        return "portable fp32 kernels (JUDGE_PORTABLE build)"
        #endif
    }

    /// - Parameter threads: default every active processor.
    public init(threads: Int? = nil, gemmMinimumBatch: Int = EngineConfiguration.defaultGEMMMinimumBatch,
                workers: Workers = .pool, repack: Bool = true, vnni: Bool = true) {
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        self.gemmMinimumBatch = max(1, gemmMinimumBatch)
        self.workers = workers
        self.repack = repack
        self.vnni = vnni
    }
}

import Foundation
