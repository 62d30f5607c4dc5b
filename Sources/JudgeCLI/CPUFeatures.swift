import Foundation
import LocalInference

/// The CPU features the inference kernels were compiled for (Package.swift builds LocalInference for
/// x86-64-v3 unless `JUDGE_PORTABLE=1`). Checked before any command runs, so a CPU without them gets a
/// one-line message instead of an illegal-instruction crash. This file is compiled without those features.
enum CPUFeatures {
    /// The `/proc/cpuinfo` flags `-target-cpu haswell` code may use.
    static let required = ["avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "movbe", "popcnt", "abm"]

    /// The features that would choose other kernels, reported beside the ones in use.
    static let reported = ["avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni"]

    /// `/proc/cpuinfo`'s model name and flags of the first processor (nil where there is none).
    static let cpuinfo: (model: String, flags: Set<String>)? = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Substring? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
                  let colon = line.firstIndex(of: ":")
            else { return nil }
            return line[line.index(after: colon)...]
        }
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        return ((field("model name") ?? "unknown").trimmingCharacters(in: .whitespaces), flags)
    }()

    /// One line for `bench-model` and `--verbose`: the CPU, which of `reported` it has, and the kernels
    /// the engine runs on it.
    static func engineReport(_ engine: EngineConfiguration) -> String {
        var cpu = "unknown CPU"
        if let cpuinfo {
            let present = reported.filter(cpuinfo.flags.contains), absent = reported.filter { !cpuinfo.flags.contains($0) }
            cpu = "\(cpuinfo.model) (\(present.joined(separator: " "))\(absent.isEmpty ? "" : "; not: " + absent.joined(separator: " ")))"
        }
        return "cpu: \(cpu); kernels: \(engine.kernels); \(engine.threads) thread\(engine.threads == 1 ? "" : "s")"
    }

    /// Exits with status 1 and a one-line message if this build needs features the CPU lacks.
    static func requireKernelFeatures() {
        #if JUDGE_X86_V3 && os(Linux)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return }   // cannot tell: let the kernels run
        let flags = Set(line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        let missing = required.filter { !flags.contains($0) }
        if !missing.isEmpty {
            FileHandle.standardError.write(Data((
                "judge: this build needs an x86-64-v3 CPU (missing: \(missing.joined(separator: ", "))); "
                + "rebuild with `JUDGE_PORTABLE=1 swift build -c release`\n").utf8))
            exit(1)
        }
        #endif
    }
}

extension JudgeCommand {
    /// Checks the CPU, then parses and runs the command as `AsyncParsableCommand.main()` does.
    static func main() async {
        CPUFeatures.requireKernelFeatures()
        await main(nil)
    }
}
