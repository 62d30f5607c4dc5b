// MARK: - SamplingParameters

/// How the next token is chosen from the model's logits, with llama.cpp's meaning for every knob.
///
/// The filters run in llama.cpp's default order: repetition penalty → top-k → top-p → min-p → temperature,
/// then one draw from the remaining distribution. A temperature of 0 (or below) is greedy decoding:
/// the most likely token after the penalty, ties going to the lowest token id.
///
/// ```swift
/// var parameters = SamplingParameters.greedy
/// parameters = SamplingParameters(temperature: 0.7, topK: 40, topP: 0.95, seed: 7)
/// ```
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// Divides the logits before the draw; 0 or below means greedy.
    public var temperature: Float
    /// Keeps the k most likely tokens; 0 (or any k ≥ the vocabulary) keeps all.
    public var topK: Int
    /// Keeps the smallest most-likely set whose probability reaches p; 1 keeps all.
    public var topP: Float
    /// Drops tokens whose probability is below `minP` times the top token's; 0 keeps all.
    public var minP: Float
    /// llama.cpp's repetition penalty: a token seen in the window has a positive logit divided by it and a
    /// negative one multiplied by it (once, however often it was seen); 1 is off.
    public var repeatPenalty: Float
    /// How many of the most recent tokens (prompt included) the penalty looks at; 0 disables the penalty.
    public var repeatLastN: Int
    /// Seeds the generator of the draw; the same seed gives the same text.
    public var seed: UInt64

    public init(
        temperature: Float = 0.8,
        topK: Int = 40,
        topP: Float = 0.95,
        minP: Float = 0.05,
        repeatPenalty: Float = 1.0,
        repeatLastN: Int = 64,
        seed: UInt64 = 0
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.seed = seed
    }

    /// Greedy decoding, no penalty: the reproducible choice for judging and for comparisons with llama.cpp.
    public static let greedy = SamplingParameters(temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1)

    /// Whether the draw is greedy (no randomness involved).
    public var isGreedy: Bool { temperature <= 0 }

    /// Checks every value, naming the first one that is out of range.
    public func validate() throws {
        guard temperature.isFinite else { throw SamplingError.invalid("temperature", "\(temperature)", "a finite number ≥ 0") }
        guard topK >= 0 else { throw SamplingError.invalid("top-k", "\(topK)", "an integer ≥ 0 (0 keeps every token)") }
        guard topP > 0, topP <= 1 else { throw SamplingError.invalid("top-p", "\(topP)", "a number in (0, 1]") }
        guard minP >= 0, minP <= 1 else { throw SamplingError.invalid("min-p", "\(minP)", "a number in [0, 1]") }
        guard repeatPenalty > 0, repeatPenalty.isFinite else {
            throw SamplingError.invalid("repeat-penalty", "\(repeatPenalty)", "a number > 0 (1 is off)")
        }
        guard repeatLastN >= 0 else { throw SamplingError.invalid("repeat-last-n", "\(repeatLastN)", "an integer ≥ 0") }
    }
}

// MARK: - SamplingError

/// A sampling parameter out of range.
public enum SamplingError: Error, CustomStringConvertible, Equatable {
    case invalid(_ name: String, _ value: String, _ expected: String)

    public var description: String {
        switch self {
        case let .invalid(name, value, expected):
            return "invalid \(name) \(value): expected \(expected)"
        }
    }
}
