import CZlib

/// Gzip decompression through the system's zlib, for imports given as `.gz` files or piped from one.
public enum Gzip {
    /// Why compressed input could not be read.
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// True when the bytes begin with gzip's magic number (1f 8b).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The bytes as given when they are not gzip, else decompressed (every member of a
    /// multi-member file, as `zcat` does).
    public static func decompressIfNeeded(_ bytes: [UInt8]) throws(Error) -> [UInt8] {
        isCompressed(bytes) ? try decompress(bytes) : bytes
    }

    /// Decompresses a gzip stream of one or more members.
    public static func decompress(_ input: [UInt8]) throws(Error) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(input.count * 6)
        var stream = z_stream()
        // 15 + 16: a gzip wrapper, the largest window.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Error(description: "cannot start zlib's inflate")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var result: Int32 = Z_OK
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    result = inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if result == Z_STREAM_END {
                    // Another member may follow (concatenated .gz files).
                    guard stream.avail_in > 0, stream.next_in[0] == 0x1F else { break }
                    result = inflateReset(&stream)
                    if result != Z_OK { break }
                    continue
                }
                if result != Z_OK { break }
                if stream.avail_in == 0, stream.avail_out != 0 {
                    result = Z_BUF_ERROR  // the input ended inside a member
                    break
                }
            }
        }
        switch result {
        case Z_STREAM_END, Z_OK: return output
        case Z_BUF_ERROR: throw Error(description: "the gzip data is truncated")
        default:
            let reason = stream.msg.map { String(cString: $0) } ?? "error \(result)"
            throw Error(description: "the gzip data is damaged (\(reason))")
        }
    }
}
