import ArgumentParser
import Judge

/// `--pairs` of `judge compare`: a fixed selection of pairs per item (`all`, `sample:N`), or `adaptive`
/// (rounds of pairs chosen where they reduce rating uncertainty most, up to `--budget` judge calls).
enum PairsOption: ExpressibleByArgument, Hashable, CustomStringConvertible {
    case fixed(PairSelection)
    case adaptive

    init?(argument: String) {
        if argument == "adaptive" { self = .adaptive; return }
        guard let selection = PairSelection(argument: argument) else { return nil }
        self = .fixed(selection)
    }

    var description: String {
        switch self {
        case .fixed(let selection): selection.description
        case .adaptive: "adaptive"
        }
    }

    static var allValueStrings: [String] { ["all", "sample:N", "adaptive"] }
}
