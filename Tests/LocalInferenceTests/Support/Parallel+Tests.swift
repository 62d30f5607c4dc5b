@testable import LocalInference

extension Parallel {
    /// Three threads through the worker pool: ranges split over threads whatever the test machine's cores.
    static let tests = Parallel(EngineConfiguration(threads: 3))
}
