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

// MARK: - The entry point

/// libFuzzer's driver, run from our own entry point: SwiftPM links an executable target's `main` to
/// `<module>_main` (so tests can import executables), which would hide libFuzzer's `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<CInt>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("judge_fuzz_main")
public func judgeFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, fuzzOne)
}
