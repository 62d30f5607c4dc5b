import XCTest
@testable import LocalInference

/// Reads the real SmolLM2 file: the facts its converter wrote, checked in the metadata and tensor table.
final class GGUFRealModelTests: XCTestCase {
    func testReadsSmolLM2() throws {
        let file = try GGUFFile(url: try TestModel.smolLM2())
        XCTAssertEqual(file.version, 3)
        XCTAssertEqual(file.architecture, "llama")
        XCTAssertEqual(file.metadata["llama.block_count"]?.intValue, 30)
        XCTAssertEqual(file.metadata["llama.embedding_length"]?.intValue, 576)
        XCTAssertEqual(file.metadata["tokenizer.ggml.model"]?.stringValue, "gpt2")
        XCTAssertEqual(file.metadata["tokenizer.ggml.tokens"]?.stringArray?.count, 49152)
        XCTAssertEqual(file.tensors.count, 30 * 9 + 2)
        let embd = try XCTUnwrap(file.tensor(named: "token_embd.weight"))
        XCTAssertEqual(embd.dimensions, [576, 49152])
        XCTAssertNil(file.tensor(named: "output.weight"), "SmolLM2 ties its output head")
        let types = Set(file.tensors.map(\.type))
        XCTAssertTrue(types.isSubset(of: [.f32, .q4_1, .q8_0]), "\(types)")
        for t in file.tensors { XCTAssertEqual(file.data(for: t).count, t.byteCount) }
    }
}
