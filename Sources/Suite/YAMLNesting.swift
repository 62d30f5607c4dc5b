import CYaml

// MARK: - YAMLNesting

/// Refuses YAML nested deeper than ``maximumDepth`` before it is composed into nodes.
///
/// Composing (Yams) recurses once per level, so `[` × 5000 or a mapping 3,000 deep overflowed the stack
/// (SIGSEGV, no message). libyaml's event parser underneath keeps its own stacks on the heap, so walking
/// the events first costs one pass and cannot overflow; the first collection past the limit is reported
/// with its line. A suite needs about five levels (`judge.prices.MODEL.input`); 64 leaves ample room.
enum YAMLNesting {
    /// The deepest nesting of sequences and mappings accepted (documented in suites/README.md).
    static let maximumDepth = 64

    /// - Throws: ``SuiteError`` naming the line where the nesting passes ``maximumDepth``. Syntax errors
    ///   are left to the composer, which describes them better.
    static func check(_ text: String, file: String) throws {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > maximumDepth {
                        throw SuiteError(file: file, line: Int(event.start_mark.line) + 1,
                                         message: "nested deeper than \(maximumDepth) levels of lists and mappings "
                                             + "at column \(event.start_mark.column + 1); a suite needs far fewer")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT, YAML_NO_EVENT:
                    return
                default:
                    break
                }
            }
        }
    }
}
