import Foundation

/// A POSIX ustar archive of a directory's files, as `tar -x` reads it: how `GET /v1/export` sends
/// the bundle `incidents export` writes, so both verifiers check it as it is once unpacked.
enum TarStream {
    /// The archive of every regular file under `directory`, under `prefix/` (relative paths, sorted).
    static func archive(directory: String, prefix: String) throws -> [UInt8] {
        let files = FileManager.default
        var paths = [String]()
        if let walker = files.enumerator(atPath: directory) {
            for case let path as String in walker {
                var isDirectory: ObjCBool = false
                if files.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue { paths.append(path) }
            }
        }
        var out = [UInt8]()
        out += header(name: prefix + "/", size: 0, typeflag: UInt8(ascii: "5"), mode: 0o755)
        for path in paths.sorted() {
            let data = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path)))
            out += header(name: prefix + "/" + path, size: data.count, typeflag: UInt8(ascii: "0"), mode: 0o644)
            out += data
            out += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        }
        out += [UInt8](repeating: 0, count: 1024)
        return out
    }

    /// One 512-byte header block; names longer than 100 bytes use the ustar prefix field.
    static func header(name: String, size: Int, typeflag: UInt8, mode: Int) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ bytes: [UInt8], at offset: Int, length: Int) {
            for (index, byte) in bytes.prefix(length).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, length: Int) -> [UInt8] {
            Array(String(value, radix: 8).leftPadded(to: length - 1).utf8) + [0]
        }
        var path = Array(name.utf8)
        var prefix = [UInt8]()
        if path.count > 100, let split = path.prefix(155).lastIndex(of: UInt8(ascii: "/")) {
            prefix = Array(path[..<split])
            path = Array(path[(split + 1)...])
        }
        put(path, at: 0, length: 100)
        put(octal(mode, length: 8), at: 100, length: 8)
        put(octal(0, length: 8), at: 108, length: 8)
        put(octal(0, length: 8), at: 116, length: 8)
        put(octal(size, length: 12), at: 124, length: 12)
        put(octal(Int(Date().timeIntervalSince1970), length: 12), at: 136, length: 12)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148, length: 8)
        block[156] = typeflag
        put(Array("ustar\u{0}00".utf8), at: 257, length: 8)
        put(prefix, at: 345, length: 155)
        let checksum = block.reduce(0) { $0 + Int($1) }
        put(Array(String(checksum, radix: 8).leftPadded(to: 6).utf8) + [0, UInt8(ascii: " ")], at: 148, length: 8)
        return block
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
