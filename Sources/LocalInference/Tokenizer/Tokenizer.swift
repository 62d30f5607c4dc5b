/// Text ↔ token ids for a GGUF model, matching llama.cpp's `llama_tokenize` id for id.
///
/// ```swift
/// let tokenizer = try Tokenizer(file: GGUFFile(url: modelURL))
/// let ids = tokenizer.encode("<|im_start|>user\nHi<|im_end|>\n")   // special tokens parsed
/// let text = tokenizer.decode(ids)
/// ```
///
/// Three kinds, chosen by `tokenizer.ggml.model`: `llama` (SentencePiece BPE with scores), `gpt2`
/// (byte-level BPE with merges and the split rules of `tokenizer.ggml.pre`) and `gemma4` (BPE with merges
/// over SentencePiece-spelled lines). Immutable once built, so one tokenizer may serve many threads.
public final class Tokenizer: Sendable {
    let vocabulary: Vocabulary
    let kind: Kind
    /// Bytes each token stands for when decoded; shape (vocabularySize).
    let pieces: [[UInt8]]

    enum Kind: Sendable {
        case sentencePiece(SentencePieceEncoder)
        case bytePair(BytePairEncoder)
    }

    /// Builds a tokenizer from a configuration (what `init(file:)` reads from `tokenizer.ggml.*`).
    public init(configuration: TokenizerConfiguration) throws {
        let vocabulary = try Vocabulary(configuration)
        self.vocabulary = vocabulary
        let spelling: TokenSpelling
        if let preTokenizer = try PreTokenizer(configuration: configuration) {
            kind = .bytePair(try BytePairEncoder(vocabulary: vocabulary, merges: configuration.merges,
                                                 preTokenizer: preTokenizer))
            spelling = preTokenizer.spelling
        } else {
            kind = .sentencePiece(SentencePieceEncoder(vocabulary: vocabulary))
            spelling = .sentencePiece
        }
        pieces = (0..<vocabulary.count).map { Tokenizer.piece(of: $0, vocabulary: vocabulary, spelling: spelling) }
    }

    // MARK: - Vocabulary facts

    /// Number of token ids.
    public var vocabularySize: Int { vocabulary.count }
    /// Beginning-of-sequence token, if the vocabulary has one.
    public var bos: Int32? { vocabulary.bos }
    /// End-of-sequence token, if the vocabulary has one.
    public var eos: Int32? { vocabulary.eos }
    /// Whether `encode` adds BOS when `addSpecial` is nil (`tokenizer.ggml.add_bos_token`).
    public var addsBOS: Bool { vocabulary.addBOS }

    /// Whether generation should stop at `token`: EOS, EOT, EOM and the end-of-turn tokens llama.cpp
    /// recognizes by text (`<|im_end|>`, `<|eot_id|>`, `<|endoftext|>`, `<end_of_turn>`, …).
    public func isEndOfGeneration(_ token: Int32) -> Bool { vocabulary.endOfGeneration.contains(token) }

    /// Whether `token` is a control token (BOS, EOS, `<|im_start|>`, …) rather than text.
    public func isControl(_ token: Int32) -> Bool {
        guard token >= 0, Int(token) < vocabulary.count else { return false }
        return !vocabulary.attributes[Int(token)].intersection([.control, .unknown]).isEmpty
    }

    /// The stored text of a token (`Ġhello`, `▁hello`, `<|im_start|>`), for display; nil when out of range.
    public func tokenText(_ token: Int32) -> String? {
        guard token >= 0, Int(token) < vocabulary.count else { return nil }
        return String(decoding: vocabulary.texts[Int(token)], as: UTF8.self)
    }

    // MARK: - Encoding

    /// The token ids of `text`.
    ///
    /// - Parameters:
    ///   - addSpecial: nil adds BOS (and EOS) as the metadata says (`add_bos_token`, `add_eos_token`), like
    ///     llama.cpp's `add_special = true`; `true` adds BOS whatever the metadata says (EOS still as it says);
    ///     `false` adds neither.
    ///   - parseSpecial: whether control tokens written in the text (`<|im_start|>`, `<s>`) become their ids;
    ///     user-defined tokens always do, as in llama.cpp.
    /// - Complexity: O(n log n) in the length of the text.
    public func encode(_ text: String, addSpecial: Bool? = nil, parseSpecial: Bool = true) -> [Int32] {
        let bytes = Array(text.utf8)
        var output: [Int32] = []
        output.reserveCapacity(bytes.count / 3 + 2)
        let addBOS = addSpecial ?? vocabulary.addBOS
        let addEOS = addSpecial != false && vocabulary.addEOS
        if addBOS, let bos = vocabulary.bos { output.append(bos) }

        let fragments = partition(bytes, parseSpecial: parseSpecial)
        switch kind {
        case let .sentencePiece(encoder):
            var previousIsSpecial = true  // the text's first fragment gets the space prefix
            for fragment in fragments {
                switch fragment {
                case let .text(range):
                    let escaped = SentencePieceEncoder.escape(bytes[range],
                                                              spacePrefix: vocabulary.addSpacePrefix && previousIsSpecial)
                    encoder.encode(escaped: escaped, vocabulary: vocabulary, into: &output)
                    previousIsSpecial = false
                case let .token(token):
                    output.append(token)
                    previousIsSpecial = true
                }
            }
        case let .bytePair(encoder):
            for fragment in fragments {
                switch fragment {
                case let .text(range): encoder.encode(bytes[range], into: &output)
                case let .token(token): output.append(token)
                }
            }
        }

        if addEOS, let eos = vocabulary.eos { output.append(eos) }
        return output
    }
}
