import OneCheckUtilities

/// Model files read into a tree of values, each with where it starts, by the package's strict JSON reader
/// (`OneCheckUtilities.JSONReader`, RFC 8259).
///
/// Why not only `JSONDecoder`: on Linux it reports a syntax error as "The given data was not valid JSON", with no
/// position, and silently takes the last of two equal keys. Reading the text here first gives every syntax error a
/// line and column, lets the loader refuse unknown keys at their place (``ModelKeySchema``), and keeps the numbers'
/// own text (so `1.5` can be told apart from `1`).
///
/// What is accepted and refused is the reader's: exactly one JSON value, no repeated key in an object, strict
/// strings and numbers, at most `JSONReader.maximumDepth` levels.
enum StrictJSON {
    /// A place in the text: 1-based line, and 1-based column counted in Unicode scalars.
    typealias Position = JSONPosition

    /// One value with the position of its first byte.
    struct Node: Sendable {
        enum Value: Sendable {
            /// Members in file order, each with the position of its key.
            case object([Member])
            case array([Node])
            case string(String)
            /// The number's text as written, and its value.
            case number(text: String, value: Double)
            case bool(Bool)
            case null
        }
        struct Member: Sendable {
            var key: String
            /// Byte offset of the key's opening quote.
            var keyOffset: Int
            var value: Node
        }
        var value: Value
        /// Byte offset of the value's first byte (see ``Position/init(offset:in:)``).
        var offset: Int

        /// The member named `key` of an object, or nil.
        subscript(key: String) -> Node? {
            guard case let .object(members) = value else { return nil }
            return members.first { $0.key == key }?.value
        }

        /// What kind of value this is, for messages ("a string", "a number", …).
        var kindName: String {
            switch value {
            case .object: return "an object"
            case .array: return "an array"
            case .string: return "a string"
            case .number: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    /// Why the text is not JSON, and where.
    struct SyntaxError: Error, Equatable, Sendable {
        var position: Position
        var problem: String
    }

    /// Parses `bytes` as one JSON value.
    /// - Throws: ``SyntaxError`` at the first byte that is not valid JSON.
    /// - Complexity: O(bytes).
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> Node {
        var reader = JSONReader(bytes)
        do {
            let root = try node(&reader, context: "the file to start with a JSON value")
            try reader.end()
            return root
        } catch let error as JSONSyntaxError {
            throw SyntaxError(position: Position(offset: error.offset, in: bytes), problem: error.problem)
        } catch {
            preconditionFailure("the tree builder throws only the reader's errors: \(error)")
        }
    }

    /// The value at the reader's next byte, read whole.
    private static func node(_ reader: inout JSONReader, context: String) throws -> Node {
        let kind = try reader.nextKind(context: context)
        let offset = reader.index
        switch kind {
        case .object:
            var members: [Node.Member] = []
            try reader.object { reader, key, keyOffset in
                members.append(Node.Member(key: key, keyOffset: keyOffset,
                                           value: try node(&reader, context: "a value for the key \"\(key)\"")))
            }
            return Node(value: .object(members), offset: offset)
        case .array:
            var elements: [Node] = []
            try reader.array { reader in elements.append(try node(&reader, context: "a value")) }
            return Node(value: .array(elements), offset: offset)
        case .string: return Node(value: .string(try reader.string()), offset: offset)
        case .number:
            let (text, value) = try reader.numberText()
            return Node(value: .number(text: text, value: value), offset: offset)
        case .bool: return Node(value: .bool(try reader.bool()), offset: offset)
        case .null:
            try reader.null()
            return Node(value: .null, offset: offset)
        }
    }
}
