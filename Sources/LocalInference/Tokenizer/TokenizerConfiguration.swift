/// Everything a tokenizer is built from, as GGUF stores it under `tokenizer.ggml.*`.
///
/// `Tokenizer(file:)` fills it from a model's metadata; tests build small vocabularies by hand.
/// Optional fields left nil take llama.cpp's defaults for the model kind.
public struct TokenizerConfiguration: Sendable {
    /// `tokenizer.ggml.model`.
    public enum Model: String, Sendable, CaseIterable {
        /// SentencePiece BPE: merges chosen by token score, `▁` for spaces, `<0xNN>` byte fallback.
        case llama
        /// Byte-level BPE: merges chosen by rank, bytes spelled as GPT-2 characters, split rules by `pre`.
        case gpt2
        /// Gemma 4's BPE: merges chosen by rank over whole lines spelled SentencePiece's way (`▁` for
        /// spaces, `<0xNN>` byte fallback); `pre` is ignored.
        case gemma4
    }

    public var model: Model
    /// `tokenizer.ggml.pre` (gpt2 only; gemma4 always splits as `gemma4`); nil means `default`.
    public var preTokenizer: String?
    /// `tokenizer.ggml.tokens`: the text of each token id.
    public var tokens: [String]
    /// `tokenizer.ggml.scores` (llama: higher merges first); empty means all 0.
    public var scores: [Float]
    /// `tokenizer.ggml.token_type` (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte); empty means all normal.
    public var tokenTypes: [Int32]
    /// `tokenizer.ggml.merges` (gpt2, gemma4): `"left right"`, earlier ranks merge first.
    public var merges: [String]
    public var bosID: Int32?
    public var eosID: Int32?
    public var unknownID: Int32?
    public var paddingID: Int32?
    /// `tokenizer.ggml.eot_token_id`; when nil it is recognized by text (`<|eot_id|>`, `<|im_end|>`, …).
    public var eotID: Int32?
    public var eomID: Int32?
    /// `tokenizer.ggml.add_bos_token`; nil: true for llama, for gpt2 true only with the llama3 split rules.
    /// Always true with the gemma4 split rules, as llama.cpp overrides it.
    public var addBOS: Bool?
    /// `tokenizer.ggml.add_eos_token`; nil: false.
    public var addEOS: Bool?
    /// `tokenizer.ggml.add_space_prefix` (llama only); nil: true.
    public var addSpacePrefix: Bool?

    public init(model: Model, preTokenizer: String? = nil, tokens: [String], scores: [Float] = [],
                tokenTypes: [Int32] = [], merges: [String] = [],
                bosID: Int32? = nil, eosID: Int32? = nil, unknownID: Int32? = nil, paddingID: Int32? = nil,
                eotID: Int32? = nil, eomID: Int32? = nil,
                addBOS: Bool? = nil, addEOS: Bool? = nil, addSpacePrefix: Bool? = nil) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.paddingID = paddingID
        self.eotID = eotID
        self.eomID = eomID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }
}
