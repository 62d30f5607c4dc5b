/// What llama.cpp calls a token's attributes, derived from `tokenizer.ggml.token_type`.
struct TokenAttributes: OptionSet, Sendable {
    let rawValue: UInt16
    static let unknown     = TokenAttributes(rawValue: 1 << 0)
    static let unused      = TokenAttributes(rawValue: 1 << 1)
    static let normal      = TokenAttributes(rawValue: 1 << 2)
    static let control     = TokenAttributes(rawValue: 1 << 3)
    static let userDefined = TokenAttributes(rawValue: 1 << 4)
    static let byte        = TokenAttributes(rawValue: 1 << 5)

    /// From a GGUF token type (0 undefined, 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).
    init(tokenType: Int32) {
        switch tokenType {
        case 1: self = .normal
        case 2: self = .unknown
        case 3: self = .control
        case 4: self = .userDefined
        case 5: self = .unused
        case 6: self = .byte
        default: self = []
        }
    }

    init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Tokens written literally in text that map straight to their id (llama.cpp's special-token cache).
    var isSpecial: Bool { !intersection([.control, .userDefined, .unknown]).isEmpty }
}

/// The token table shared by every tokenizer kind: texts, scores, attributes, the special ids, and the
/// lookups built once from them.
struct Vocabulary: Sendable {
    /// Token text as stored (byte-encoded for gpt2, `▁` for spaces for llama); shape (vocabularySize).
    let texts: [[UInt8]]
    /// Merge priority of each token (llama); shape (vocabularySize).
    let scores: [Float]
    /// Shape (vocabularySize).
    let attributes: [TokenAttributes]
    /// Text → id; when two ids share a text the last one wins, as in llama.cpp.
    let ids: [ArraySlice<UInt8>: Int32]
    let bos: Int32?
    let eos: Int32?
    let unknown: Int32?
    let padding: Int32?
    let eot: Int32?
    let eom: Int32?
    let addBOS: Bool
    let addEOS: Bool
    let addSpacePrefix: Bool
    /// Tokens that end generation (EOS, EOT, EOM and the end-of-turn texts llama.cpp recognizes).
    let endOfGeneration: Set<Int32>
    /// Special tokens, longest text first (ties by id), for splitting them out of raw text.
    let specialTokens: [Int32]

    var count: Int { texts.count }

    /// Texts llama.cpp takes as end-of-turn markers when the metadata names no EOT id.
    static let endOfTurnTexts: [String] = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
        "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ]
    /// Texts llama.cpp always treats as end of generation.
    static let endOfGenerationTexts: [String] = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    ]
    /// Texts whose presence among the end-of-generation tokens makes `</s>` a normal token.
    static let ordinaryEndOfSentenceMarkers: [String] = ["<|tool_response>", "<|plamo:eos|>"]
    /// Fill-in-the-middle pad/repo/separator texts, which llama.cpp also counts as end of generation.
    static let fillInTheMiddleTexts: [String] = [
        "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
        "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>",
        "<|file_sep|>",
    ]

    init(_ configuration: TokenizerConfiguration) throws {
        let n = configuration.tokens.count
        guard n > 0 else { throw TokenizerError.invalidField("tokenizer.ggml.tokens", reason: "the vocabulary is empty") }
        guard n <= Int(Int32.max) else {
            throw TokenizerError.invalidField("tokenizer.ggml.tokens", reason: "\(n) tokens do not fit 32-bit ids")
        }
        if !configuration.scores.isEmpty && configuration.scores.count < n {
            throw TokenizerError.invalidField("tokenizer.ggml.scores",
                                              reason: "\(configuration.scores.count) scores for \(n) tokens")
        }
        if !configuration.tokenTypes.isEmpty && configuration.tokenTypes.count < n {
            throw TokenizerError.invalidField("tokenizer.ggml.token_type",
                                              reason: "\(configuration.tokenTypes.count) types for \(n) tokens")
        }

        var texts: [[UInt8]] = []
        texts.reserveCapacity(n)
        var ids: [ArraySlice<UInt8>: Int32] = [:]
        ids.reserveCapacity(n)
        for (i, token) in configuration.tokens.enumerated() {
            // llama.cpp reads token texts as C strings (a NUL ends them) and renames empty ones so that
            // every id keeps a distinct text.
            let bytes = Array(token.utf8.prefix { $0 != 0 })
            let text = bytes.isEmpty ? Array("[EMPTY_\(i)]".utf8) : bytes
            texts.append(text)
            ids[text[...]] = Int32(i)
        }
        self.texts = texts
        self.ids = ids
        self.scores = configuration.scores.isEmpty ? [Float](repeating: 0, count: n) : Array(configuration.scores.prefix(n))
        var attributes = configuration.tokenTypes.isEmpty
            ? [TokenAttributes](repeating: .normal, count: n)
            : configuration.tokenTypes.prefix(n).map(TokenAttributes.init(tokenType:))

        // Special ids: metadata when in range, else llama.cpp's defaults for the model kind.
        func resolve(_ given: Int32?, default fallback: Int32?) -> Int32? {
            if let given, given >= 0, Int(given) < n { return given }
            if let fallback, fallback >= 0, Int(fallback) < n { return fallback }
            return nil
        }
        let isLlama = configuration.model == .llama
        let defaults: (bos: Int32?, eos: Int32?, unknown: Int32?) = switch configuration.model {
        case .llama: (1, 2, 0)
        case .gpt2: (11, 11, nil)
        case .gemma4: (nil, nil, nil)
        }
        bos = resolve(configuration.bosID, default: defaults.bos)
        eos = resolve(configuration.eosID, default: defaults.eos)
        unknown = resolve(configuration.unknownID, default: defaults.unknown)
        padding = resolve(configuration.paddingID, default: nil)
        eom = resolve(configuration.eomID, default: ids[Array("<|eom_id|>".utf8)[...]])

        let preTokenizer = try PreTokenizer(configuration: configuration)
        // llama.cpp turns BOS on for Gemma 4's split rules whatever the metadata says (its PR 21500).
        addBOS = preTokenizer == .gemma4 || (configuration.addBOS ?? (isLlama || preTokenizer == .llama3))
        addEOS = configuration.addEOS ?? false
        addSpacePrefix = isLlama ? (configuration.addSpacePrefix ?? true) : false

        // End-of-turn and end-of-generation tokens are recognized by text, and become control tokens.
        func id(of text: String) -> Int32? { ids[Array(text.utf8)[...]] }
        var eot = resolve(configuration.eotID, default: nil)
        if eot == nil {
            eot = Vocabulary.endOfTurnTexts.lazy.compactMap(id(of:)).first
        }
        var recognized = Set<Int32>()
        for text in Vocabulary.endOfGenerationTexts + Vocabulary.fillInTheMiddleTexts {
            if let token = id(of: text) { recognized.insert(token) }
        }
        recognized.formUnion([eot, eom].compactMap { $0 })
        for token in recognized { attributes[Int(token)].insert(.control) }
        var endOfGeneration = recognized.union([eos].compactMap { $0 })
        // Beside `<|tool_response>` (Gemma 4) or `<|plamo:eos|>` (PLaMo), `</s>` is ordinary text, as llama.cpp
        // decides once the end-of-generation set is known.
        if let s = id(of: "</s>"), endOfGeneration.contains(s),
           Vocabulary.ordinaryEndOfSentenceMarkers.contains(where: { id(of: $0).map(endOfGeneration.contains) == true }) {
            endOfGeneration.remove(s)
            attributes[Int(s)] = .normal
        }
        self.eot = eot
        self.endOfGeneration = endOfGeneration
        self.attributes = attributes

        specialTokens = (0..<Int32(n)).filter { attributes[Int($0)].isSpecial }
            .sorted { texts[Int($0)].count != texts[Int($1)].count ? texts[Int($0)].count > texts[Int($1)].count : $0 < $1 }
    }

    /// The id of a token text, if there is one.
    @inline(__always)
    func id(_ text: ArraySlice<UInt8>) -> Int32? { ids[text] }
}
