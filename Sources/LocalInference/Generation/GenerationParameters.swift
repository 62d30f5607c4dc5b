// MARK: - GenerationParameters

/// One request's settings: how to sample, when to stop, what to report.
///
/// ```swift
/// var parameters = GenerationParameters(maxTokens: 128, sampling: .greedy)
/// parameters.stopStrings = ["\nUser:"]
/// parameters.topLogprobs = 5
/// ```
public struct GenerationParameters: Sendable, Equatable {
    /// The most tokens to generate (the end-of-generation token included when it comes).
    public var maxTokens: Int
    public var sampling: SamplingParameters
    /// Text that ends the completion; the stop string itself is never part of the output.
    public var stopStrings: [String]
    /// How many alternatives to report with each token's log-probability; nil reports none.
    public var topLogprobs: Int?

    public init(maxTokens: Int = 256, sampling: SamplingParameters = .greedy, stopStrings: [String] = [],
                topLogprobs: Int? = nil) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.stopStrings = stopStrings
        self.topLogprobs = topLogprobs
    }

    /// Checks every value, naming the first one that is wrong.
    public func validate() throws {
        guard maxTokens >= 1 else { throw GenerationError.invalidParameter("max-tokens \(maxTokens): expected an integer ≥ 1") }
        if stopStrings.contains(where: \.isEmpty) {
            throw GenerationError.invalidParameter("stop string \"\": a stop string cannot be empty")
        }
        if let topLogprobs, topLogprobs < 0 || topLogprobs > 100 {
            throw GenerationError.invalidParameter("top-logprobs \(topLogprobs): expected an integer in 0...100")
        }
        do { try sampling.validate() } catch let error as SamplingError {
            throw GenerationError.invalidParameter(error.description)
        }
    }
}

// MARK: - FinishReason

/// Why a completion ended, in the words of the OpenAI API.
public enum FinishReason: String, Sendable, Equatable, Codable {
    /// An end-of-generation token or a stop string.
    case stop
    /// `maxTokens` reached, or the context is full.
    case length
}

// MARK: - GenerationError

public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case invalidParameter(String)
    case emptyPrompt
    case promptTooLong(tokens: Int, context: Int)
    case tokenOutOfRange(Int32, vocabularySize: Int)
    /// A newer `generate` call took over the model context this stream was using.
    case superseded

    public var description: String {
        switch self {
        case let .invalidParameter(message):
            return "invalid \(message)"
        case .emptyPrompt:
            return "the prompt is empty: give at least one token (text, or a model that adds BOS)"
        case let .promptTooLong(tokens, context):
            return "the prompt has \(tokens) tokens but the context holds \(context): shorten the prompt or raise the context length"
        case let .tokenOutOfRange(token, vocabularySize):
            return "token \(token) is outside the model's vocabulary (0..<\(vocabularySize))"
        case .superseded:
            return "this generation was superseded by a newer one on the same generator; generate one sequence at a time"
        }
    }
}
