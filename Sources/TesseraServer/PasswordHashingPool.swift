import NIOCore
import NIOPosix

/// The threads the server hashes passwords on: its own pool, one thread
/// fewer than the machine has cores (at least one).
///
/// Not `NIOThreadPool.singleton`: sqlite-nio runs every query on that pool,
/// so logins hashing there (about a second of CPU each at the default cost)
/// would queue every SQLite read behind them. Measured with two logins
/// hashing without pause on two cores: `/api/me` on SQLite went from a p99
/// of 4 ms to 712 ms. Logins queue for the hashing threads instead, and the
/// remaining core keeps serving requests.
enum PasswordHashingPool {
    /// Started on first use and kept for the life of the process, like the singleton it stands beside.
    static let shared: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount - 1))
        pool.start()
        return pool
    }()
}
