// A child process for the crash and multi-process tests.
//
//   LedgerTestChild loop LEDGER WRITERS
//       Appends one event at a time from WRITERS concurrent tasks, forever, and writes
//       "POSITION EVENT-ID" on standard output after each append is acknowledged (durable).
//   LedgerTestChild count LEDGER STREAM N
//       Appends N events one at a time to STREAM and to the shared stream "shared", then exits.
//   LedgerTestChild open LEDGER
//       Opens the ledger and exits, writing nothing.
//   LedgerTestChild hold-read LEDGER
//       Opens a read snapshot, writes "reading", and keeps it open until killed.
import Foundation
import LedgerModel
import LedgerStore

#if canImport(Glibc)
import Glibc
#endif

/// Writes a line with one unbuffered write, so a killed process leaves no acknowledged line unwritten.
func report(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func event(_ label: String, _ number: Int) -> ProposedEvent {
    ProposedEvent(
        type: "test.appended", occurredAt: .now(), actor: Actor(kind: .tool, id: "ledger-test-child"), source: "test",
        payload: Payload(["writer": .string(label), "number": .integer(Int64(number)), "pid": .integer(Int64(getpid()))]))
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: LedgerTestChild loop LEDGER WRITERS | count LEDGER STREAM N") }
let ledger: Ledger
do {
    ledger = try Ledger.open(at: arguments[2])
} catch {
    fail("cannot open: \(error)")
}

switch arguments[1] {
case "loop":
    let writers = arguments.count > 3 ? Int(arguments[3]) ?? 4 : 4
    await withTaskGroup(of: Void.self) { group in
        for writer in 0..<writers {
            group.addTask {
                var number = 0
                while true {
                    number += 1
                    let proposed = event("w\(writer)", number)
                    do {
                        let result = try await ledger.append([proposed], to: "crash-\(getpid())-\(writer)")
                        report("\(result.positions.lowerBound) \(proposed.id.lowercasedString)")
                    } catch {
                        fail("append failed: \(error)")
                    }
                }
            }
        }
    }
case "count":
    guard arguments.count == 5, let count = Int(arguments[4]) else { fail("usage: count LEDGER STREAM N") }
    let stream = arguments[3]
    for number in 1...count {
        do {
            _ = try await ledger.append([event(stream, number)], to: stream, expecting: .exact(UInt64(number - 1)))
            _ = try await ledger.append([event(stream, number)], to: "shared")
        } catch {
            fail("append failed: \(error)")
        }
    }
    report("done \(stream)")
case "open":
    report("opened")
case "hold-read":
    try? ledger.read { _ in
        report("reading")
        while true { sleep(60) }
    }
default:
    fail("unknown mode \(arguments[1])")
}
