import Foundation
import LocalInference

extension EngineConfiguration {
    /// The engine settings the environment asks for, the one place the `judge` command reads them:
    /// `JUDGE_THREADS` (worker threads), `JUDGE_GEMM_MIN_BATCH` (rows from which projections use sgemm),
    /// `JUDGE_POOL=dispatch` (`concurrentPerform` instead of the worker pool), `JUDGE_REPACK=0` (weights
    /// stay in the file's layout) and `JUDGE_VNNI=0` (AVX2 kernels on a CPU with VNNI, for comparison).
    /// `threads` (a command's `--threads`) overrides `JUDGE_THREADS`; unset or unparsable values keep the defaults.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                threads: Int? = nil) -> EngineConfiguration {
        func positive(_ name: String) -> Int? { environment[name].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } }
        return EngineConfiguration(
            threads: threads ?? positive("JUDGE_THREADS"),
            gemmMinimumBatch: positive("JUDGE_GEMM_MIN_BATCH") ?? EngineConfiguration.defaultGEMMMinimumBatch,
            workers: environment["JUDGE_POOL"] == "dispatch" ? .dispatch : .pool,
            repack: environment["JUDGE_REPACK"] != "0",
            vnni: environment["JUDGE_VNNI"] != "0")
    }
}
