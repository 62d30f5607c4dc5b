/// How a byte-level BPE vocabulary cuts text into words before merging, chosen by `tokenizer.ggml.pre`.
///
/// Each kind is a list of split rules applied in turn, each one cutting every piece left by the previous
/// one (llama.cpp's `unicode_regex_split`). The rules are the Hugging Face tokenizers' regexes, written
/// here as hand-made scanners over Unicode categories so that the splits are exactly llama.cpp's
/// (its custom scanners in unicode.cpp, and `std::regex` semantics for the simple character classes):
///
/// | kind | `tokenizer.ggml.pre` | rules |
/// | --- | --- | --- |
/// | `default` | `default`, missing | `[\p{P}$+<=>^~|]+`, GPT-2, `\p{N}+`, `[0-9]{3}` |
/// | `gpt2` | `gpt-2`, `phi-2`, `mpt`, `olmo`, `jais`, … | GPT-2 |
/// | `llama3` | `llama3`, `llama-v3`, `llama-bpe`, `falcon3`, `dbrx`, `smaug-bpe`, … | Llama 3 (`\p{N}{1,3}`) |
/// | `starcoder` | `smollm`, `starcoder`, `refact`, `command-r`, `codeshell`, … | `\p{N}` (each digit alone), GPT-2 |
/// | `qwen2` | `qwen2`, `stablelm2`, `deepseek-r1-qwen`, `megrez` | Qwen 2 (Llama 3 with `\p{N}`) |
/// | `qwen35` | `qwen35` | Qwen 3.5 (Qwen 2 with `\p{M}` counted as letters) |
/// | `deepseekLLM` | `deepseek-llm` | `[\r\n]`, `\s?[A-Za-zµÀ-ÖØ-öø-ƺ…]+`, `\s?[!-/:-~！-／：-～‘-‟　-。]+`, `\s+$`, `[一-龥ࠀ-一가-퟿]+`, `\p{N}+` |
/// | `deepseekCoder` | `deepseek-coder` | `[\r\n]`, `\s?\p{L}+`, `\s?\p{P}+`, `[一-龥ࠀ-一가-퟿]+`, `\p{N}` |
/// | `falcon` | `falcon` | ``[\p{P}$+<=>^~|`]+``, GPT-2, `[0-9]{3}` |
/// | `gemma4` | `gemma4`, `granite-embed-multi-311m`; always for `tokenizer.ggml.model = gemma4` | `[^\n]+\|[\n]+` |
///
/// where GPT-2 is `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+` and
/// Llama 3 is `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
///
/// All but `gemma4` spell tokens byte-level; Gemma 4's split rules come with SentencePiece spelling (spaces
/// as `▁`, `<0xNN>` byte tokens), so its merges run over whole lines, spaces included (llama.cpp's
/// `LLAMA_VOCAB_PRE_TYPE_GEMMA4`: `escape_whitespaces`, no `byte_encode`).
enum PreTokenizer: String, CaseIterable, Sendable {
    case `default`, gpt2, llama3, starcoder, qwen2, qwen35, falcon, deepseekLLM, deepseekCoder, gemma4

    /// The `tokenizer.ggml.pre` names each kind answers to (llama.cpp's `llama_vocab::impl::load`).
    static let names: [String: PreTokenizer] = {
        var names: [String: PreTokenizer] = ["default": .default]
        for name in ["gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0",
                     "mellum", "modern-bert", "jina-v1-en", "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais",
                     "trillion", "exaone4", "granite-docling"] { names[name] = .gpt2 }
        for name in ["llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
                     "jina-v5-nano", "dbrx", "smaug-bpe"] { names[name] = .llama3 }
        for name in ["smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva-7b", "mellum2"] {
            names[name] = .starcoder
        }
        for name in ["qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "stablelm2", "megrez"] { names[name] = .qwen2 }
        names["qwen35"] = .qwen35
        names["falcon"] = .falcon
        names["deepseek-llm"] = .deepseekLLM
        names["deepseek-coder"] = .deepseekCoder
        for name in ["gemma4", "granite-embed-multi-311m"] { names[name] = .gemma4 }
        return names
    }()

    /// The kind for a `tokenizer.ggml.pre` value; a missing value means `default`, like llama.cpp.
    init(name: String?) throws {
        guard let name, !name.isEmpty else { self = .default; return }
        guard let kind = PreTokenizer.names[name] else {
            throw TokenizerError.unsupportedPreTokenizer(name, supported: PreTokenizer.names.keys.sorted())
        }
        self = kind
    }

    /// The split rules of a configuration's model: none for llama (SentencePiece splits nothing),
    /// `tokenizer.ggml.pre`'s for gpt2, and always Gemma 4's for gemma4, whatever `pre` says (llama.cpp
    /// sets it from the model name; Gemma 4 GGUFs carry none).
    init?(configuration: TokenizerConfiguration) throws {
        switch configuration.model {
        case .llama: return nil
        case .gpt2: try self.init(name: configuration.preTokenizer)
        case .gemma4: self = .gemma4
        }
    }

    /// How the vocabulary spells the words these rules cut.
    var spelling: TokenSpelling { self == .gemma4 ? .sentencePiece : .byteLevel }

    /// Whether `word`, when it is itself a token, skips the merges: every word for Llama 3
    /// (llama.cpp's `ignore_merges`), a run of newlines for Gemma 4 (llama.cpp PR 21343).
    func keepsWhole(_ word: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .llama3: return true
        case .gemma4: return word.allSatisfy { $0 == 0x0A }
        default: return false
        }
    }

    /// The split rules, in order.
    var rules: [SplitRule] {
        switch self {
        case .default: return [.runs(.defaultPunctuation), .gpt2, .runs(.number), .asciiDigitTriples]
        case .gpt2: return [.gpt2]
        case .llama3: return [.llama3(maxDigits: 3, marksAreLetters: false)]
        case .starcoder: return [.each(.number), .gpt2]
        case .qwen2: return [.llama3(maxDigits: 1, marksAreLetters: false)]
        case .qwen35: return [.llama3(maxDigits: 1, marksAreLetters: true)]
        case .falcon: return [.runs(.falconPunctuation), .gpt2, .asciiDigitTriples]
        case .deepseekLLM:
            return [.each(.newline), .spaceThenRuns(.deepSeekLetter), .spaceThenRuns(.deepSeekPunctuation), .trailingWhitespace,
                    .runs(.cjk), .runs(.number)]
        case .deepseekCoder:
            return [.each(.newline), .spaceThenRuns(.letter), .spaceThenRuns(.punctuation), .runs(.cjk), .each(.number)]
        case .gemma4: return [.runs(.lineFeed)]
        }
    }

    /// Cuts `codepoints` into words: consecutive, non-empty ranges covering the whole input.
    func split(_ codepoints: [UInt32]) -> [Range<Int>] {
        var pieces = codepoints.isEmpty ? [] : [0..<codepoints.count]
        let flags = codepoints.map(CodepointFlags.of)
        for rule in rules {
            var next: [Range<Int>] = []
            next.reserveCapacity(pieces.count * 2)
            for piece in pieces {
                rule.split(codepoints, flags: flags, piece: piece, into: &next)
            }
            pieces = next
        }
        return pieces
    }
}
