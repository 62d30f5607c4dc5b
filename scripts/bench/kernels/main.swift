// Kernel micro-benchmark: the decode kernels one row at a time (single thread, CPU time) and the threaded
// matrix-vector product (wall time), on random blocks of each type in SmolLM2's and Mistral 7B's shapes.
// Built by scripts/bench/kernels.sh straight from Sources/LocalInference/Tensor (no package build).
import Foundation

func cpuSeconds() -> Double {
    var t = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
func processSeconds() -> Double {
    var t = timespec(); clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
func wallSeconds() -> Double {
    var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Random blocks with sane fp16 scales at the type's scale offsets.
func randomMatrix(_ type: GGMLType, rows: Int, columns: Int) -> UnsafeMutableRawPointer {
    let bytes = type.rowBytes(columns) * rows
    let p = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
    var g = SystemRandomNumberGenerator()
    for i in 0..<(bytes + 64) { p.storeBytes(of: UInt8.random(in: 0...255, using: &g), toByteOffset: i, as: UInt8.self) }
    let offsets: [Int] = [.q4_0: [0], .q4_1: [0, 2], .q5_0: [0], .q8_0: [0], .q4_K: [0, 2], .q6_K: [208]][type] ?? []
    for b in 0..<(bytes / type.bytesPerBlock) {
        for o in offsets {
            p.storeBytes(of: Float16(Float.random(in: 0.001...0.01)).bitPattern,
                         toByteOffset: b * type.bytesPerBlock + o, as: UInt16.self)
        }
    }
    return p
}

@main
struct KernelBench {
    static func main() {
        let shapes: [(GGMLType, Int, Int, String)] = [
            (.q4_1, 1536, 576, "SmolLM2 ffn_up"), (.q4_1, 576, 1536, "SmolLM2 ffn_down"),
            (.q8_0, 49152, 576, "SmolLM2 output"),
            (.q5_0, 2048, 640, "Gemma3 ffn_up"), (.q6_K, 151936, 1536, "Qwen2.5 output"),
            (.q4_0, 4096, 4096, "7B attn_q"), (.q4_K, 4096, 4096, "7B attn_q"), (.q6_K, 4096, 4096, "7B attn_q"),
        ]
        let only = CommandLine.arguments.dropFirst().first
        let environment = ProcessInfo.processInfo.environment
        let parallel = Parallel(EngineConfiguration(threads: environment["JUDGE_THREADS"].flatMap(Int.init),
                                                    workers: environment["JUDGE_POOL"] == "dispatch" ? .dispatch : .pool))
        print("type  shape           what                generic ST   fast ST      threaded (\(parallel.threadCount) threads, \(parallel.pool == nil ? "dispatch" : "pool"))")
        for (type, rows, columns, what) in shapes where only == nil || only == type.name {
            let data = randomMatrix(type, rows: rows, columns: columns)
            let matrix = WeightMatrix(name: what, type: type, rows: rows, columns: columns, data: UnsafeRawPointer(data))
            let x = UnsafeMutablePointer<Float>.allocate(capacity: columns)
            for i in 0..<columns { x[i] = Float.random(in: -1...1) }
            let y = UnsafeMutablePointer<Float>.allocate(capacity: rows)
            let sums = UnsafeMutablePointer<Float>.allocate(capacity: columns / 32)
            RowDot.blockSums(x, count: columns, into: sums)
            let macs = Double(rows * columns)
            let repeats = max(3, Int(2e8 / macs))
            // Single thread, CPU time: GMAC/s.
            let generic = RowDot.kernel(for: type)
            var t = cpuSeconds()
            for _ in 0..<repeats { for r in 0..<rows { y[r] = generic(matrix.row(r), x, columns) } }
            let genericRate = macs * Double(repeats) / (cpuSeconds() - t) / 1e9
            var check = y[0]
            var fastRate = Double.nan
            if let fast = RowDot.fastKernel(for: type) {
                t = cpuSeconds()
                for _ in 0..<repeats { for r in 0..<rows { y[r] = fast(matrix.row(r), x, sums, columns) } }
                fastRate = macs * Double(repeats) / (cpuSeconds() - t) / 1e9
                check = abs(check - y[0]) / max(1e-6, abs(check))
            }
            // Threaded, wall time per product.
            t = wallSeconds()
            for _ in 0..<repeats { matrix.multiply(x, into: y, on: parallel) }
            let perCall = (wallSeconds() - t) / Double(repeats)
            print(String(format: "%-5@ %5dx%-5d %-18@ %5.2f GMAC/s  %5.2f GMAC/s  %8.1f µs (%5.2f GMAC/s)  rel.diff %.1e",
                         type.name, rows, columns, what, genericRate, fastRate, perCall * 1e6, macs / perCall / 1e9, check))
        }
        // Batched products (CPU time of the whole process, so JUDGE_THREADS=1 gives single-core figures).
        for (type, rows, columns, what) in shapes where only == nil || only == type.name {
            let data = randomMatrix(type, rows: rows, columns: columns)
            let file = WeightMatrix(name: what, type: type, rows: rows, columns: columns, data: UnsafeRawPointer(data))
          // The file's layout, then (Q4_0, Q4_K) rows interleaved at load.
          for matrix in Set([file.layout, file.repacked(on: parallel).layout]).sorted(by: { "\($0)" > "\($1)" })
            .map({ $0 == .rows ? file : file.repacked(on: parallel) }) {
            var line = String(format: "%-5@ %5dx%-5d %@ batch:", type.name, rows, columns, matrix.layout == .rows ? "rows       " : "interleaved")
            for batch in [1, 4, 8, 16, 32, 128] {
                let x = UnsafeMutablePointer<Float>.allocate(capacity: columns * batch)
                for i in 0..<(columns * batch) { x[i] = Float.random(in: -1...1) }
                let y = UnsafeMutablePointer<Float>.allocate(capacity: rows * batch)
                let repeats = max(2, Int(4e8 / Double(rows * columns * batch)))
                let t = processSeconds()
                for _ in 0..<repeats { matrix.multiply(batch: batch, x, into: y, on: parallel) }
                let rate = Double(rows * columns * batch * repeats) / (processSeconds() - t) / 1e9
                line += String(format: "  %d: %5.2f GMAC/s", batch, rate)
            }
            print(line)
          }
        }
        // The cost of starting parallel work: an empty body over 8 chunks.
        let calls = 20_000
        let t = wallSeconds()
        for _ in 0..<calls { parallel.forRanges(count: 128, minimumChunk: 16) { _ in } }
        print(String(format: "empty Parallel.forRanges (8 chunks): %.2f µs per call", (wallSeconds() - t) / Double(calls) * 1e6))
    }
}
