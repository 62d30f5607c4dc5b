import Foundation

/// A candidate model of a suite: where its outputs come from.
///
/// Three kinds, told apart by their keys:
///
/// ```yaml
/// models:
///   - name: gpt-4                       # imported: outputs come from `judge import`
///   - name: smollm2-greedy              # local: a GGUF file run by the engine
///     path: ../models/smollm2.gguf      #   relative to the suite file
///     template: chatml                  #   chat-template override (default: the file's own)
///     system_prompt: You are concise.
///     max_tokens: 256
///     sampling: { temperature: 0.8, top_p: 0.95, top_k: 40, seed: 1, repeat_penalty: 1.0 }
///   - name: hosted-llama                # remote: an OpenAI-compatible endpoint
///     url: https://example.invalid/v1
///     model: llama-3-8b-instruct
///     api_key_env: HOSTED_API_KEY
///     ca_file: certs/company-proxy.pem  #   a CA to trust besides the system's (else SSL_CERT_FILE)
///   - name: pooled-llama                # remote over several endpoints serving the same model
///     urls: [http://gpu1:8080/v1, http://gpu2:8080/v1]
///     model: llama-3-8b-instruct
/// ```
///
/// With `urls:` the first URL is the model's `url` (it names the model in candidates' content keys, so
/// adding a replica regenerates nothing) and the rest are ``additionalURLs``; calls spread over all.
///
/// Generation for local and remote models belongs to the end-to-end issue; the keys are parsed and
/// validated now so suites written today keep loading.
public struct ModelSpec: Sendable, Hashable {
    public var name: String
    public var description: String?
    public var source: Source
    /// A system prompt for every item (an item's own `system` wins).
    public var systemPrompt: String?
    public var maxTokens: Int?
    public var sampling: Sampling
    /// Further endpoints serving the same remote model (`urls:` after the first).
    public var additionalURLs: [String] = []
    /// The CA file trusted for a remote model over HTTPS (`ca_file:`, an absolute path), e.g. a company
    /// proxy's; nil: `SSL_CERT_FILE` or the system's. Not part of the content key: trust changes no output.
    public var caFile: String?

    public init(
        name: String,
        description: String? = nil,
        source: Source = .imported,
        systemPrompt: String? = nil,
        maxTokens: Int? = nil,
        sampling: Sampling = Sampling()
    ) {
        self.name = name
        self.description = description
        self.source = source
        self.systemPrompt = systemPrompt
        self.maxTokens = maxTokens
        self.sampling = sampling
    }

    /// Where a model's outputs come from.
    public enum Source: Sendable, Hashable {
        /// Outputs are brought in by `judge import`.
        case imported
        /// A GGUF file (absolute path), with an optional chat-template override by name or Jinja text.
        case local(path: URL, chatTemplate: String?)
        /// An OpenAI-compatible endpoint; the key is read from the environment variable `apiKeyEnv`.
        case remote(url: String, model: String, apiKeyEnv: String)

        /// `imported`, `local` or `remote`, for display and for the store.
        public var kind: String {
            switch self {
            case .imported: "imported"
            case .local: "local"
            case .remote: "remote"
            }
        }
    }

    /// Sampling settings for generation; `nil` leaves the engine's or server's default.
    public struct Sampling: Sendable, Hashable {
        public var temperature: Double?
        public var topP: Double?
        public var topK: Int?
        public var minP: Double?
        public var repeatPenalty: Double?
        public var seed: Int?

        public init(
            temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil,
            minP: Double? = nil, repeatPenalty: Double? = nil, seed: Int? = nil
        ) {
            self.temperature = temperature
            self.topP = topP
            self.topK = topK
            self.minP = minP
            self.repeatPenalty = repeatPenalty
            self.seed = seed
        }
    }
}
