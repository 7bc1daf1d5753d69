import Foundation
import Testing
@testable import SiameseKit

/// A fresh directory under the system's temporary folder, removed when `body` returns.
private func withTemporaryDirectory<R>(_ body: (URL) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("siamese-checkpoint-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// The two-layer network the tests save and load.
private func makeNetwork(seed: UInt64, hidden: Int = 3) -> Sequential {
    var g = SeededGenerator(seed: seed)
    return Sequential(Linear(4, hidden, using: &g), ReLU(), Linear(hidden, 2, using: &g))
}

/// A file with the given header text (no padding) followed by `data`.
private func rawFile(_ header: String, data: [UInt8] = []) -> [UInt8] {
    let json = Array(header.utf8)
    return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
}

/// Little-endian F32 bytes.
private func f32Bytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
}

/// The message `Checkpoint.decode` fails with for these bytes, or nil if it succeeds.
private func failure(_ bytes: [UInt8]) -> String? {
    do { _ = try Checkpoint.decode(bytes, file: "x.safetensors"); return nil } catch { return error.description }
}

/// The message a throwing call fails with, or nil if it succeeds; "not a CheckpointError: ..."
/// when the error is of another type.
private func failure(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch let error as CheckpointError { return error.description } catch {
        return "not a CheckpointError: \(error)"
    }
}

/// The values of every tensor of a layer, by name.
private func snapshot(_ layer: any Layer) -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: layer.namedState.map { ($0.name, $0.variable.value) })
}

@Suite("Checkpoints: safetensors files")
struct CheckpointTests {
    // MARK: Round trips

    @Test func modelRoundTripGivesIdenticalOutputs() throws {
        try withTemporaryDirectory { directory in
            let trained = makeNetwork(seed: 1)
            let fresh = makeNetwork(seed: 2)
            var g = SeededGenerator(seed: 3)
            let x = Tensor.randomNormal([5, 4], using: &g)
            #expect(trained(x).value != fresh(x).value)

            let url = directory.appendingPathComponent("model.safetensors")
            try Checkpoint.save(trained, to: url)
            let metadata = try Checkpoint.load(into: fresh, from: url)

            #expect(metadata == [:])
            #expect(fresh(x).value == trained(x).value)
            #expect(snapshot(fresh) == snapshot(trained))
            let contents = try Checkpoint.read(from: url)
            #expect(contents.names == ["0.weight", "0.bias", "2.weight", "2.bias"])
            #expect(contents["0.weight"]?.shape == [3, 4])
        }
    }

    @Test func metadataRoundTrips() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            let metadata = ["epoch": "12", "loss": "0.0315", "empty": "",
                            "note": "café \"quoted\" back\\slash\nnew line\ttab \u{1} ✓ 𝄞",
                            "ключ": "значение"]
            try Checkpoint.save(makeNetwork(seed: 1), to: url, metadata: metadata)
            #expect(try Checkpoint.load(into: makeNetwork(seed: 2), from: url) == metadata)
            #expect(try Checkpoint.read(from: url).metadata == metadata)
        }
    }

    @Test func tensorsKeepTheirOrderShapesAndValues() throws {
        try withTemporaryDirectory { directory in
            var g = SeededGenerator(seed: 4)
            let tensors: [(name: String, tensor: Tensor)] = [
                ("zeta", Tensor.randomNormal([300, 400], using: &g)),
                ("scalar", Tensor(scalar: -0.0)),
                ("empty", Tensor.zeros([0, 4])),
                ("alpha", Tensor(shape: [2, 1, 2], scalars: [.infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude])),
            ]
            let url = directory.appendingPathComponent("tensors.safetensors")
            try Checkpoint.write(tensors, metadata: ["k": "v"], to: url)
            let contents = try Checkpoint.read(from: url)
            #expect(contents.names == ["zeta", "scalar", "empty", "alpha"])
            #expect(contents.metadata == ["k": "v"])
            for (name, tensor) in tensors {
                #expect(contents[name]?.shape == tensor.shape)
                #expect(contents[name]?.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern))
            }
            #expect(contents.namedTensors.map(\.name) == contents.names)
            #expect(contents == CheckpointContents(tensors, metadata: ["k": "v"]))

            // The layout: the data starts on an 8-byte boundary and ends the file.
            let bytes = try [UInt8](Data(contentsOf: url))
            let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            #expect(headerLength % 8 == 0)
            #expect(bytes.count == 8 + headerLength + 4 * (300 * 400 + 1 + 0 + 4))
        }
    }

    @Test func writtenHeaderIsTheExpectedJSON() {
        let header = Safetensors.header(for: [("0.weight", [2, 3]), ("s", [])], metadata: ["b": "2", "a": "1"])
        let json = String(decoding: header[8...], as: UTF8.self)
        #expect(json == #"{"__metadata__":{"a":"1","b":"2"},"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"s":{"dtype":"F32","shape":[],"data_offsets":[24,28]}}"#
                + " ")
        #expect(header[0..<8] == [152, 0, 0, 0, 0, 0, 0, 0])  // 151 bytes of JSON and 1 space
    }

    // MARK: Files from the reference implementation

    @Test func readsAFileWrittenByPythonSafetensors() throws {
        let contents = try Checkpoint.decode(PythonFixture.bytes, file: "fixture.safetensors")
        #expect(contents.names == ["double", "conv.bias", "conv.weight", "empty", "scale", "half"])
        #expect(contents.metadata == ["format": "np", "note": "café \"quoted\" \\ ✓"])

        #expect(contents["conv.weight"] == Tensor(shape: [2, 3, 2, 2], scalars: (0..<24).map { (Float($0) - 12) / 8 }))
        #expect(contents["conv.bias"] == Tensor([Float(0.1 as Double), Float(-2.5e-3 as Double)]))
        #expect(contents["scale"] == Tensor(scalar: 3.25))
        #expect(contents["empty"] == Tensor.zeros([0, 3]))
        #expect(contents["half"] == Tensor([1, -2.5, 65504, 0x1p-24, .infinity]))
        #expect(contents["double"] == Tensor(shape: [2, 2], scalars: [0.1, -1e-3, 1e30, 7].map { Float($0 as Double) }))

        // The same through a file on disk.
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("fixture.safetensors")
            try Data(PythonFixture.bytes).write(to: url)
            #expect(try Checkpoint.read(from: url) == contents)
        }
    }

    @Test func decodesHalfAndBrainFloat() throws {
        // F16: 0, -0, 1, the largest subnormal, the smallest normal, -inf; BF16: 1, -3, 1e-38ish.
        let half: [UInt16] = [0x0000, 0x8000, 0x3C00, 0x03FF, 0x0400, 0xFC00]
        let brain: [UInt16] = [0x3F80, 0xC040, 0x006D]
        let data = (half + brain).flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let file = rawFile(#"{"h":{"dtype":"F16","shape":[6],"data_offsets":[0,12]},"b":{"dtype":"BF16","shape":[3],"data_offsets":[12,18]}}"#,
                           data: data)
        let contents = try Checkpoint.decode(file, file: "x.safetensors")
        #expect(contents["h"]?.scalars.map(\.bitPattern) == [0, -0.0, 1, 0x1.FF8p-15, 0x1p-14, -.infinity].map { ($0 as Float).bitPattern })
        #expect(contents["b"]?.scalars == [1, -3, Float(bitPattern: 0x006D_0000)])
        #expect(SafetensorsDType.float(fromHalf: 0x7E00).isNaN)
        #expect(SafetensorsDType.float(fromHalf: 0x7BFF) == 65504)
    }

    // MARK: Damaged files

    @Test func refusesATruncatedFile() throws {
        let file = try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("m.safetensors")
            try Checkpoint.save(makeNetwork(seed: 1), to: url)
            return try [UInt8](Data(contentsOf: url))
        }
        #expect(failure(Array(file.dropLast(4)))
                == #"checkpoint x.safetensors: tensor "2.bias" has data_offsets [84, 92] past the end of the data (88 bytes): the file is truncated or the offsets are wrong"#)
        #expect(failure(Array(file.prefix(5)))
                == "checkpoint x.safetensors: not a valid safetensors file: the file is 5 bytes long, too short to hold the 8-byte header length (truncated?)")
        #expect(failure(Array(file.prefix(50)))
                == "checkpoint x.safetensors: not a valid safetensors file: header length 248 is larger than the 42 bytes after it (truncated?)")
        #expect(failure(file + [0, 0, 0, 0])
                == "checkpoint x.safetensors: not a valid safetensors file: the tensors cover 92 bytes of data but 96 follow the header (4 bytes belong to no tensor)")
    }

    @Test func refusesAnImpossibleHeaderLength() {
        var file = rawFile("{}")
        file.replaceSubrange(0..<8, with: [0x10, 0x27, 0, 0, 0, 0, 0, 0])  // 10 000
        #expect(failure(file) == "checkpoint x.safetensors: not a valid safetensors file: header length 10000 is larger than the 2 bytes after it (truncated?)")
        file.replaceSubrange(0..<8, with: [UInt8](repeating: 0xFF, count: 8))
        #expect(failure(file) == "checkpoint x.safetensors: not a valid safetensors file: header length 18446744073709551615 is over the 100000000-byte limit (corrupt length?)")
    }

    @Test func refusesAHeaderThatIsNotValidJSON() {
        let prefix = "checkpoint x.safetensors: not a valid safetensors file: "
        let cases: [(String, String)] = [
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#, "the header is not valid JSON: unexpected end of the header inside an object at byte 53 of the header"),
            (#"{"a" {}}"#, "the header is not valid JSON: expected ':' after a key at byte 5 of the header"),
            (#"{"a":{"dtype":"F32","shape":[1,],"data_offsets":[0,4]}}"#, "the header is not valid JSON: unexpected character ']' at byte 31 of the header"),
            (#"{"a":1}x"#, "the header is not valid JSON: unexpected text after the JSON value at byte 7 of the header"),
            (#"{"a":1,"a":2}"#, #"the header is not valid JSON: duplicate key "a" at byte 7 of the header"#),
            (#"{"a":"\q"}"#, #"the header is not valid JSON: invalid escape \'q' at byte 7 of the header"#),
            (#"{"a":01}"#, "the header is not valid JSON: expected ',' or '}' in an object at byte 6 of the header"),
            (#"[1, 2]"#, "the header does not start with '{'"),
            (String(repeating: "{\"a\":", count: 40) + "1" + String(repeating: "}", count: 40),
             "the header is not valid JSON: JSON nested deeper than 32 levels at byte 160 of the header"),
        ]
        for (header, reason) in cases {
            #expect(failure(rawFile(header)) == prefix + reason, "header: \(header)")
        }
        // Invalid UTF-8 inside a string.
        var file = rawFile(#"{"__metadata__":{"k":"ab"}}"#)
        file[8 + 23] = 0xFF
        #expect(failure(file) == prefix + "the header is not valid JSON: string is not valid UTF-8 at byte 25 of the header")
    }

    @Test func refusesBadEntriesAndOffsets() {
        let data = f32Bytes([1, 2, 3])
        func entry(_ fields: String) -> [UInt8] { rawFile(#"{"a":{"# + fields + "}}", data: data) }
        let cases: [([UInt8], String)] = [
            (entry(#""dtype":"F32","shape":[3],"data_offsets":[4,16]"#),
             #"tensor "a" has data_offsets [4, 16] past the end of the data (12 bytes): the file is truncated or the offsets are wrong"#),
            (entry(#""dtype":"F32","shape":[2],"data_offsets":[4,12]"#),
             #"tensor "a" has data_offsets [4, 12], leaving bytes 0..<4 of the data unused (the format allows no gaps)"#),
            (entry(#""dtype":"F32","shape":[2],"data_offsets":[0,12]"#),
             #"tensor "a" has shape [2] and dtype F32, which take 8 bytes, but data_offsets [0, 12] hold 12"#),
            (entry(#""dtype":"F32","shape":[3],"data_offsets":[12,0]"#),
             #"tensor "a" has data_offsets [12, 0], which is not [begin, end] with 0 <= begin <= end"#),
            (entry(#""dtype":"F32","shape":[3],"data_offsets":[0]"#),
             #"tensor "a" has data_offsets [0], which is not [begin, end] with 0 <= begin <= end"#),
            (entry(#""dtype":"F32","shape":[-3],"data_offsets":[0,12]"#),
             #"tensor "a" has shape [-3], which is not a list of non-negative integers"#),
            (entry(#""dtype":"F32","shape":[3.0],"data_offsets":[0,12]"#),
             #"tensor "a" has shape [3.0], which is not a list of non-negative integers"#),
            (entry(#""dtype":"F32","shape":"3","data_offsets":[0,12]"#),
             #"tensor "a" has shape a string, which is not a list of non-negative integers"#),
            (entry(#""dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,12]"#),
             #"tensor "a" has shape [4294967296, 4294967296], too large to address"#),
            (entry(#""dtype":"F32","shape":[3]"#), #"tensor "a" lacks the field data_offsets"#),
            (entry(#""shape":[3]"#), #"tensor "a" lacks the fields dtype and data_offsets"#),
            (entry(#""dtype":"F32","shape":[3],"data_offsets":[0,12],"offsets":[0,12]"#),
             #"tensor "a" has an unknown field "offsets" (expected dtype, shape and data_offsets)"#),
            (entry(#""dtype":32,"shape":[3],"data_offsets":[0,12]"#), #"tensor "a" has a dtype that is a number, not a string"#),
            (rawFile(#"{"a":[1,2]}"#), #"tensor "a" is an array, not an object with dtype, shape and data_offsets"#),
            (rawFile(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: data),
             #"tensor "b" has data_offsets [4, 12], which overlap tensor "a"'s [0, 8]"#),
            (rawFile(#"{"__metadata__":{"k":1}}"#), #"not a valid safetensors file: __metadata__ value of "k" is a number, not a string"#),
            (rawFile(#"{"__metadata__":["k"]}"#), "not a valid safetensors file: __metadata__ is an array, not an object of strings"),
        ]
        for (file, reason) in cases {
            #expect(failure(file) == "checkpoint x.safetensors: " + reason)
        }
        // A valid entry for contrast, with trailing spaces in the header as the format allows.
        #expect(failure(entry(#""dtype":"F32","shape":[3],"data_offsets":[0,12]"#)) == nil)
        #expect(failure(rawFile(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}    "#, data: data)) == nil)
    }

    @Test func refusesDTypesThatAreNotFloat() {
        for dtype in ["I32", "U8", "BOOL", "F8_E4M3", "float32"] {
            let file = rawFile(#"{"a":{"dtype":"\#(dtype)","shape":[1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
            #expect(failure(file) == #"checkpoint x.safetensors: tensor "a" has dtype "\#(dtype)", which cannot be read as Float (readable: F32, F64, F16, BF16)"#)
        }
    }

    @Test func reportsAMissingFile() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("none.safetensors")
            #expect(failure { _ = try Checkpoint.read(from: url) }
                    == "checkpoint \(url.path): cannot open: No such file or directory")
            #expect(failure { _ = try Checkpoint.read(from: directory) } == "checkpoint \(directory.path): not a regular file")
        }
    }

    // MARK: Files that do not fit the model

    @Test func loadRefusesAMismatchAndLeavesTheModelUnchanged() throws {
        try withTemporaryDirectory { directory in
            let model = makeNetwork(seed: 7)
            let before = snapshot(model)
            let url = directory.appendingPathComponent("other.safetensors")
            let source = makeNetwork(seed: 8)
            let path = url.path

            // A different hidden width: 0.weight is the first tensor checked.
            try Checkpoint.save(makeNetwork(seed: 8, hidden: 5), to: url)
            #expect(failure { try Checkpoint.load(into: model, from: url) }
                    == #"checkpoint \#(path): tensor "0.weight" has shape [5, 4] but the model expects [3, 4]"#)

            // A missing tensor, after others that would load.
            try Checkpoint.write(source.namedState.dropLast().map { ($0.name, $0.variable.value) }, to: url)
            #expect(failure { try Checkpoint.load(into: model, from: url) }
                    == #"checkpoint \#(path): has no tensor "2.bias", which the model expects with shape [2]"#)

            // An extra tensor.
            try Checkpoint.write(source.namedState.map { ($0.name, $0.variable.value) } + [("4.weight", Tensor.ones([2, 2]))], to: url)
            #expect(failure { try Checkpoint.load(into: model, from: url) }
                    == #"checkpoint \#(path): has tensor "4.weight", which the model does not have"#)

            // A damaged file.
            try Data(rawFile("{")).write(to: url)
            #expect(failure { try Checkpoint.load(into: model, from: url) }
                    == "checkpoint \(path): not a valid safetensors file: the header is not valid JSON: unexpected end of the header inside an object at byte 1 of the header")

            #expect(snapshot(model) == before)
        }
    }

    @Test func errorMessagesStayOnOneLine() {
        let error = CheckpointError.shapeMismatch(file: "a\nb.safetensors", tensor: "x\ny", shape: [1], expected: [2])
        #expect(error.description == #"checkpoint a\nb.safetensors: tensor "x\ny" has shape [1] but the model expects [2]"#)
        #expect(error.file == "a\nb.safetensors")
    }

    // MARK: Writing

    @Test func writeRefusesDuplicateAndReservedNames() throws {
        try withTemporaryDirectory { directory throws in
            let url = directory.appendingPathComponent("w.safetensors")
            #expect(failure { try Checkpoint.write([("a", Tensor([1])), ("a", Tensor([2]))], to: url) }
                    == #"checkpoint \#(url.path): cannot write tensor "a": the name is used twice"#)
            #expect(failure { try Checkpoint.write([("__metadata__", Tensor([1]))], to: url) }
                    == #"checkpoint \#(url.path): cannot write tensor "__metadata__": the name is reserved for the file's metadata"#)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    @Test func savesAtomicallyAndReplacesAnExistingFile() throws {
        try withTemporaryDirectory { directory in
            // A missing parent directory is created.
            let url = directory.appendingPathComponent("runs/a/model.safetensors")
            let first = makeNetwork(seed: 1)
            try Checkpoint.save(first, to: url, metadata: ["run": "1"])
            let runDirectory = url.deletingLastPathComponent().path
            #expect(try FileManager.default.contentsOfDirectory(atPath: runDirectory) == ["model.safetensors"])

            // Saving again replaces the file, and leaves no temporary file behind.
            let second = makeNetwork(seed: 2)
            try Checkpoint.save(second, to: url)
            #expect(try FileManager.default.contentsOfDirectory(atPath: runDirectory) == ["model.safetensors"])
            let loaded = makeNetwork(seed: 3)
            #expect(try Checkpoint.load(into: loaded, from: url) == [:])
            #expect(snapshot(loaded) == snapshot(second))

            // A write that cannot complete (the target is a directory) removes its temporary file.
            let blocked = directory.appendingPathComponent("blocked.safetensors")
            try FileManager.default.createDirectory(at: blocked, withIntermediateDirectories: false)
            let message = failure { try Checkpoint.save(first, to: blocked) }
            #expect(message?.hasPrefix("checkpoint \(blocked.path): cannot rename the temporary file into place: ") == true)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["blocked.safetensors", "runs"])
        }
    }

    @Test func relativePathsAreNamedAsWritten() {
        let url = URL(fileURLWithPath: "checkpoints-that-do-not-exist/x.safetensors")
        #expect(Checkpoint.displayName(url) == "checkpoints-that-do-not-exist/x.safetensors")
    }
}
