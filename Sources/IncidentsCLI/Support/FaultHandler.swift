import LedgerStore

#if canImport(Glibc)
import Glibc
#endif

/// The backstop that keeps a damaged `data.mdb` from killing a command with SIGBUS or SIGSEGV.
///
/// `verify` checks the file's page structure before LMDB reads it, and every open checks the meta
/// pages and the file's size; other commands read pages without a full check (it would cost a
/// whole pass over a big ledger on each call), so a damaged page can still make a read fault. The
/// handler turns a fault that ``LedgerMemoryFaults`` attributes to the ledger (an address in or
/// just past LMDB's map, or an instruction inside liblmdb) into one line on standard error and
/// exit status 1. Any other fault is a bug: the handler puts back the action it replaced (the
/// Swift runtime's backtracer, or the default) and returns, so the fault repeats and takes its
/// normal course. The handler only loads words, calls write(2), sigaction(2) and _exit(2).
enum FaultHandler {
    static let message = Array("incidents: the ledger's data.mdb could not be read (a memory fault in the map) — it is damaged; run `incidents verify`\n".utf8)

    /// The message and the replaced actions, allocated before the handler can run.
    nonisolated(unsafe) static var messageBytes: UnsafeMutableBufferPointer<UInt8> = .init(start: nil, count: 0)
    nonisolated(unsafe) static var previousBus = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
    nonisolated(unsafe) static var previousSegv = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)

    /// Installs the handler for SIGBUS and SIGSEGV. Call once, first thing in `main`.
    static func install() {
        LedgerMemoryFaults.prepare()
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: message.count)
        _ = bytes.initialize(from: message)
        messageBytes = bytes
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = handle
        action.sa_flags = SA_SIGINFO
        sigemptyset(&action.sa_mask)
        sigaction(SIGBUS, &action, previousBus)
        sigaction(SIGSEGV, &action, previousSegv)
    }

    private static let handle: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { signal, info, context in
        let address = info.map { UInt(bitPattern: $0.pointee._sifields._sigfault.si_addr) } ?? 0
        var programCounter: UInt = 0
        if let context {
            let machine = context.assumingMemoryBound(to: ucontext_t.self)
            #if arch(x86_64)
            programCounter = UInt(bitPattern: Int(machine.pointee.uc_mcontext.gregs.16))  // REG_RIP
            #elseif arch(arm64)
            programCounter = UInt(machine.pointee.uc_mcontext.pc)
            #endif
        }
        if LedgerMemoryFaults.isLedgerFault(address: address, programCounter: programCounter) {
            _ = write(2, FaultHandler.messageBytes.baseAddress, FaultHandler.messageBytes.count)
            _exit(1)
        }
        // Not the ledger's: let the fault repeat under the action that was there before.
        sigaction(signal, signal == SIGBUS ? FaultHandler.previousBus : FaultHandler.previousSegv, nil)
    }
}
