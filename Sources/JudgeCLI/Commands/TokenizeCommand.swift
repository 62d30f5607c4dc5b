import ArgumentParser
import Foundation
import LocalInference

/// `judge tokenize`: the token ids a model's tokenizer gives for a text, as llama.cpp would give them.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of a text under a GGUF model's tokenizer.",
        discussion: """
            Special tokens written in the text (<|im_start|>, <s>, …) become their ids, and BOS is added \
            when the model's metadata says so (tokenizer.ggml.add_bos_token), as llama.cpp's llama_tokenize \
            does with add_special and parse_special.

            Output: the ids on one line, separated by spaces. With --json, a JSON array of objects \
            {"id": 123, "piece": " world"}, one per token, where piece is the text the token decodes to; \
            a token that is not whole UTF-8 (part of a character) shows U+FFFD in piece and adds its raw \
            "bytes".
            """
    )

    @Option(name: .long, help: "The GGUF model file whose tokenizer to use.")
    var model: String

    @Flag(name: .long, help: "Print a JSON array of {\"id\", \"piece\"} objects instead of plain ids.")
    var json = false

    @Option(name: .long, help: "Read the text from this file instead of the argument.")
    var file: String?

    @Argument(help: "The text to tokenize.")
    var text: String?

    func validate() throws {
        if (text == nil) == (file == nil) {
            throw ValidationError("give the text to tokenize either as an argument or with --file, not both")
        }
    }

    func run() async throws {
        let tokenizer: Tokenizer
        do {
            tokenizer = try Tokenizer(file: GGUFFile(url: URL(fileURLWithPath: model)))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let input: String
        if let file {
            // Decoded byte for byte: `String(contentsOf:encoding:)` drops a leading U+FEFF, which llama.cpp
            // tokenizes like any other character.
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                FileHandle.standardError.write(Data("error: cannot read \(file): \(error.localizedDescription)\n".utf8))
                throw ExitCode.failure
            }
            guard let decoded = String(validating: data, as: UTF8.self) else {
                FileHandle.standardError.write(Data("error: cannot read \(file) as UTF-8 text: it is not valid UTF-8\n".utf8))
                throw ExitCode.failure
            }
            input = decoded
        } else {
            input = text ?? ""
        }
        let ids = tokenizer.encode(input)
        if json {
            let pieces = ids.map { id -> TokenPiece in
                let bytes = tokenizer.pieceBytes(id)
                let valid = String(validating: bytes, as: UTF8.self)
                return TokenPiece(id: id, piece: valid ?? String(decoding: bytes, as: UTF8.self), bytes: valid == nil ? bytes : nil)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(pieces), as: UTF8.self))
        } else {
            print(ids.map(String.init).joined(separator: " "))
        }
    }

    /// One element of the `--json` output.
    private struct TokenPiece: Encodable {
        let id: Int32
        let piece: String
        /// Only for a token that is not valid UTF-8 by itself.
        let bytes: [UInt8]?
    }
}
