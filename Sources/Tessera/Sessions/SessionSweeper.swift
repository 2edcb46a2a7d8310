import Foundation
import Logging
import ServiceLifecycle

/// A background service that deletes expired sessions from a store, in
/// batches, until graceful shutdown.
///
/// ```swift
/// let sweeper = SessionSweeper(store: store)
/// let group = ServiceGroup(services: [sweeper, server], logger: logger)
/// try await group.run()
/// ```
///
/// Reads never depend on it (the manager checks expiry itself on load); it
/// only keeps the store from filling with dead sessions.
public struct SessionSweeper: Service {
    /// The store to sweep.
    public let store: any SessionStore
    /// How long to wait between sweeps.
    public let interval: Duration
    /// The most records one store call deletes.
    public let batchSize: Int
    let clock: any WallClock
    let logger: Logger

    /// Creates a sweeper; it starts when its service group runs.
    public init(
        store: any SessionStore,
        interval: Duration = .seconds(60),
        batchSize: Int = 1000,
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "tessera.sessions.sweeper")
    ) {
        self.store = store
        self.interval = interval
        self.batchSize = batchSize
        self.clock = clock
        self.logger = logger
    }

    /// Sweeps once: deletes every record expired now, a batch at a time.
    /// Returns how many went.
    @discardableResult
    public func sweep() async throws(StoreError) -> Int {
        let now = clock.now()
        var total = 0
        while true {
            let removed = try await store.deleteExpired(asOf: now, limit: batchSize)
            total += removed
            if removed < batchSize || Task.isCancelled { return total }
            await Task.yield()
        }
    }

    /// Sweeps every ``interval`` until the service group shuts down. A
    /// failed sweep is logged and retried at the next interval.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let removed = try await sweep()
                if removed > 0 { logger.debug("swept expired sessions", metadata: ["count": "\(removed)"]) }
            } catch {
                logger.warning("session sweep failed; retrying later", metadata: ["error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
