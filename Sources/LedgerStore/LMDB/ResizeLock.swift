#if canImport(Glibc)
import Glibc
#endif

/// A readers–writer lock that keeps transactions of this process out of the way while the memory
/// map is resized: LMDB requires that no transaction of the process is open during
/// `mdb_env_set_mapsize`. Transactions hold it shared; a resize holds it exclusively.
///
/// The lock prefers the resizer, so a steady stream of readers cannot starve a growing ledger. A
/// thread that already holds the shared side does not take it again: a read inside a read would
/// otherwise queue behind a waiting resize that itself waits for the outer read, and neither would
/// ever go on. A per-lock thread-specific count says how deep the current thread holds it.
///
/// `@unchecked Sendable`: the lock is a pthread rwlock, which is made for use from many threads; its
/// storage is allocated once and never moved, and the depth is thread-specific data.
final class ResizeLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    /// The current thread's depth of shared holds, stored as the pointer's bit pattern.
    private let depthKey: pthread_key_t

    init() {
        lock = .allocate(capacity: 1)
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        pthread_rwlock_init(lock, &attributes)
        pthread_rwlockattr_destroy(&attributes)
        var key = pthread_key_t()
        let created = pthread_key_create(&key, nil)
        precondition(created == 0, "pthread_key_create failed: \(created)")
        depthKey = key
    }

    deinit {
        pthread_key_delete(depthKey)
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    /// How many shared holds of this lock the current thread is inside.
    private var depth: Int {
        get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    func withShared<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        let outer = depth
        if outer == 0 { pthread_rwlock_rdlock(lock) }
        depth = outer + 1
        defer {
            depth = outer
            if outer == 0 { pthread_rwlock_unlock(lock) }
        }
        return try body()
    }

    func withExclusive<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        precondition(depth == 0, "a resize of the memory map inside a transaction of the same thread would wait for itself")
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
