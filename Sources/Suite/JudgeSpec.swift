/// The `judge:` section of a suite: which model judges, how it is asked, and what it costs.
///
/// ```yaml
/// judge:
///   url: https://api.openai.com/v1   # absent → the embedded local judge over `path`
///   # urls: [http://a:8080/v1, http://b:8080/v1]   # or several endpoints serving the same judge
///   # path: ../models/judge.gguf     # the embedded judge's GGUF file (relative to the suite file)
///   model: gpt-4o
///   template: pairwise-graded        # pairwise | pairwise-graded | pairwise-reference | pairwise-logprobs
///   # template_file: my-judge.txt    # or a template of your own (placeholders: see Judge's JudgeTemplate)
///   verdict: text                    # text (the reply's [[A]]…) | logprobs (one token's probabilities)
///   both_orders: true
///   api_key_env: OPENAI_API_KEY
///   max_tokens: 1024
///   temperature: 0
///   seed: 7
///   concurrency: 8
///   batch: false                     # true: judge through OpenAI's Batch API (as `judge compare --batch`)
///   prices:                          # USD per million tokens, per judge model
///     gpt-4o: { input: 2.5, output: 10, batch_discount: 0.5 }   # Batch API calls cost (1 - 0.5) ×
/// ```
public struct JudgeSpec: Sendable, Hashable {
    /// The chat-completions base URL (`…/v1`); `nil` means no remote judge was configured.
    public var url: String?
    /// The embedded local judge's GGUF file (absolute; written relative to the suite file), used when
    /// there is no `url`: `judge compare` serves it on a loopback port itself.
    public var path: String?
    public var model: String
    /// A built-in template's name (`pairwise`, `pairwise-graded`, `pairwise-reference`).
    public var template: String
    /// A user template file (absolute); when set it replaces ``template``.
    public var templateFile: String?
    /// How the verdict is read: from the reply's text, or from the probabilities of a one-token answer.
    public var verdict: VerdictMode
    /// Judge every pair in both orders (default) to cancel position bias.
    public var bothOrders: Bool
    /// The environment variable holding the API key. The key itself is never stored or printed.
    public var apiKeyEnv: String
    public var maxTokens: Int
    public var temperature: Double
    public var seed: Int?
    public var concurrency: Int?
    /// Prices per judge model name.
    public var prices: [String: Price]
    /// A PEM file of certificate authorities to trust for the judge's HTTPS (a company proxy's CA), absolute
    /// (written relative to the suite file); nil: `SSL_CERT_FILE`, else the system's.
    public var caFile: String?
    /// Further endpoints serving the same judge (`urls:` after the first, which is ``url``).
    public var additionalURLs: [String] = []
    /// Judge through OpenAI's Batch API instead of one call at a time.
    public var batch = false

    /// Every endpoint of the judge: ``url`` then ``additionalURLs`` (empty for the embedded judge).
    public var urls: [String] { url.map { [$0] + additionalURLs } ?? [] }

    public init(
        url: String? = nil,
        model: String = "gpt-4",
        template: String = "pairwise",
        templateFile: String? = nil,
        verdict: VerdictMode = .text,
        bothOrders: Bool = true,
        apiKeyEnv: String = "OPENAI_API_KEY",
        maxTokens: Int = 1024,
        temperature: Double = 0,
        seed: Int? = nil,
        concurrency: Int? = nil,
        prices: [String: Price] = [:]
    ) {
        self.url = url
        self.model = model
        self.template = template
        self.templateFile = templateFile
        self.verdict = verdict
        self.bothOrders = bothOrders
        self.apiKeyEnv = apiKeyEnv
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.seed = seed
        self.concurrency = concurrency
        self.prices = prices
    }

    /// How the judge's verdict is read from its reply.
    public enum VerdictMode: String, Sendable, Hashable, CaseIterable {
        /// The judge writes its reasoning and a verdict such as `[[A]]`; the last verdict in the text wins.
        case text
        /// The judge answers with one token, `A`, `B` or `tie`, and the verdict is decided from the
        /// probabilities of those tokens at that position (AlpacaEval's way): it works with small local
        /// judges that cannot follow a long format, on any server that returns `logprobs`/`top_logprobs`.
        case logprobs

        /// The built-in template used when the suite names none.
        public var defaultTemplate: String {
            switch self {
            case .text: "pairwise"
            case .logprobs: "pairwise-logprobs"
            }
        }
    }

    /// What a judge model costs, in USD per million tokens.
    public struct Price: Sendable, Hashable {
        public var inputPerMillion: Double
        public var outputPerMillion: Double
        /// The share taken off both prices for calls sent through the Batch API (OpenAI's is 0.5);
        /// nil when the suite gives none (a batch call is then priced as a direct one).
        public var batchDiscount: Double?

        public init(inputPerMillion: Double, outputPerMillion: Double, batchDiscount: Double? = nil) {
            self.inputPerMillion = inputPerMillion
            self.outputPerMillion = outputPerMillion
            self.batchDiscount = batchDiscount
        }

        /// The cost in USD of one call with these token counts (`batch`: sent through the Batch API).
        public func cost(promptTokens: Int, completionTokens: Int, batch: Bool = false) -> Double {
            let direct = (Double(promptTokens) * inputPerMillion + Double(completionTokens) * outputPerMillion) / 1_000_000
            return batch ? direct * (1 - (batchDiscount ?? 0)) : direct
        }

        /// The price of a call through the Batch API, as a direct price (for estimates that take a `Price`).
        public var batchPrice: Price {
            let factor = 1 - (batchDiscount ?? 0)
            return Price(inputPerMillion: inputPerMillion * factor, outputPerMillion: outputPerMillion * factor)
        }
    }
}
