import Foundation

// MARK: - The libFuzzer entry points

/// libFuzzer calls this once before fuzzing: picks the target named by `JUDGE_FUZZ_TARGET` and prepares it.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>>>) -> CInt {
    let name = ProcessInfo.processInfo.environment["JUDGE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("JUDGE_FUZZ_TARGET must be one of: \(names) (got \"\(name)\")\n".utf8))
        exit(2)
    }
    FuzzTarget.selected = target
    target.prepare()
    return 0
}

/// libFuzzer calls this with each input; a crash, a trap, a leak or a timeout is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = count == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: count))
    FuzzTarget.selected.run(bytes)
    return 0
}
