import CTesseraMallocStats
import Foundation
import Logging
import PostgresNIO
import SQLiteNIO
import Synchronization
import Tessera
import TesseraPostgres
import TesseraSQLite

/// Session store throughput (load and compare-and-set save) next to the raw
/// primitive each store is built on, and the memory store's footprint.
///
/// - memory: against a `Mutex`-guarded `Dictionary` of records.
/// - SQLite: against one `SELECT`/`UPDATE` by primary key on a plain table,
///   through the same sqlite-nio connection type.
/// - PostgreSQL (when `TESSERA_POSTGRES_URL` is set): the same, through the
///   same pooled client.
struct SessionStoreBenchmark {
    let seconds: Double
    let rounds: Int
    let sessionCount = 10_000

    static func record(_ index: Int, now: Date) -> SessionRecord {
        let id = SessionID(random: .system)
        return SessionRecord(
            key: id.lookupKey, handle: SessionHandle(), userID: "user-\(index)",
            data: Array(#"{"cart":[1042,2210],"theme":"dark"}"#.utf8),
            createdAt: now, lastSeenAt: now, expiresAt: now.addingTimeInterval(3600),
            authenticatedAt: now, authenticationMethod: "password"
        )
    }

    /// Interleaves slices of `raw` and `ours`; returns (ours/s, raw/s).
    static func compare(seconds: Double, rounds: Int, ours: () async throws -> Void, raw: () async throws -> Void) async throws -> (Double, Double) {
        for _ in 0..<200 { try await raw(); try await ours() }
        var oursCount = 0, rawCount = 0
        var oursTime = Duration.zero, rawTime = Duration.zero
        let clock = ContinuousClock()
        let slice = Duration.nanoseconds(Int64(seconds / Double(rounds) * 1e9))
        for _ in 0..<rounds {
            var start = clock.now
            while clock.now - start < slice { for _ in 0..<16 { try await raw() }; rawCount += 16 }
            rawTime += clock.now - start
            start = clock.now
            while clock.now - start < slice { for _ in 0..<16 { try await ours() }; oursCount += 16 }
            oursTime += clock.now - start
        }
        func rate(_ count: Int, _ time: Duration) -> Double {
            Double(count) / (Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18)
        }
        return (rate(oursCount, oursTime), rate(rawCount, rawTime))
    }

    static func line(_ name: String, ours: Double, baseline: String, raw: Double) -> String {
        #"{"name":"\#(name)","ops_per_sec":\#(Int(ours.rounded())),"baseline":"\#(baseline)","baseline_ops_per_sec":\#(Int(raw.rounded())),"ratio":\#(String(format: "%.3f", ours / raw))}"#
    }

    /// Runs the measurements whose name `wanted` accepts.
    func run(wanted: (String) -> Bool) async throws {
        let now = Date()
        let records = (0..<sessionCount).map { Self.record($0, now: now) }
        if wanted("memory store") { try await memory(records) }
        if wanted("memory store footprint") { footprint(now: now) }
        if wanted("sqlite store") { try await sqlite(records) }
        if wanted("postgres store") { try await postgres(records) }
    }

    /// Loads and compare-and-set saves through `store`, each interleaved
    /// with the raw primitive's lookup or write of the same record.
    private func compareLoadAndSave(
        _ label: String, store: any SessionStore, records: [SessionRecord],
        rawLoad: (SessionRecord) async throws -> Void, loadBaseline: String,
        rawSave: (SessionRecord) async throws -> Void, saveBaseline: String
    ) async throws {
        var index = 0
        let (loadOurs, loadRaw) = try await Self.compare(seconds: seconds, rounds: rounds, ours: {
            index = (index &+ 1) % records.count
            guard try await store.load(records[index].key) != nil else { fatalError("lost a session") }
        }, raw: {
            index = (index &+ 1) % records.count
            try await rawLoad(records[index])
        })
        print(Self.line("\(label) load", ours: loadOurs, baseline: loadBaseline, raw: loadRaw))

        var versions = [Int64](repeating: 1, count: records.count)
        let (saveOurs, saveRaw) = try await Self.compare(seconds: seconds, rounds: rounds, ours: {
            index = (index &+ 1) % records.count
            var next = records[index]
            next.version = versions[index] + 1
            guard try await store.update(next, replacing: next.key, expectedVersion: versions[index]) else { fatalError("lost a race alone") }
            versions[index] += 1
        }, raw: {
            index = (index &+ 1) % records.count
            try await rawSave(records[index])
        })
        print(Self.line("\(label) save (compare-and-set)", ours: saveOurs, baseline: saveBaseline, raw: saveRaw))
    }

    private func memory(_ records: [SessionRecord]) async throws {
        let store = MemorySessionStore()
        let raw = Mutex<[SessionLookupKey: SessionRecord]>([:])
        for record in records {
            try await store.insert(record)
            raw.withLock { $0[record.key] = record }
        }
        try await compareLoadAndSave(
            "memory store", store: store, records: records,
            rawLoad: { record in
                guard raw.withLock({ $0[record.key] }) != nil else { fatalError("lost a session") }
            }, loadBaseline: "Mutex<Dictionary> lookup",
            rawSave: { record in raw.withLock { $0[record.key] = record } }, saveBaseline: "Mutex<Dictionary> assignment"
        )
    }

    /// Bytes the allocator holds per session at 1,000,000 sessions, minus the
    /// session's own bytes (user id and data), next to a plain
    /// `[SessionLookupKey: SessionRecord]` holding the same records; and how
    /// much the process's resident size (`VmRSS`) grew while the store filled.
    private func footprint(now: Date) {
        let count = 1_000_000
        func records() -> [SessionRecord] {
            (0..<count).map { index in
                var record = Self.record(index, now: now)
                record.data = []  // count the store's overhead, not a payload
                record.authenticationMethod = nil
                return record
            }
        }
        let payloadBytes = Double((0..<count).reduce(0) { $0 + "user-\($1)".utf8.count }) / Double(count)
        var source = records()
        let store = MemorySessionStore(capacity: count)
        let residentBefore = ResidentMemory.currentBytes()
        let before = tessera_allocated_bytes()
        let semaphore = DispatchSemaphore(value: 0)
        let box = UncheckedBox(store: store, records: source)
        Task.detached {
            for record in box.records { try? await box.store.insert(record) }
            semaphore.signal()
        }
        semaphore.wait()
        let ours = Double(Int(tessera_allocated_bytes()) - Int(before)) / Double(count)
        let residentAfter = ResidentMemory.currentBytes()
        precondition(store.count == count, "the store lost sessions")

        let rawBefore = tessera_allocated_bytes()
        var dictionary = [SessionLookupKey: SessionRecord]()
        for record in source { dictionary[record.key] = record }
        let raw = Double(Int(tessera_allocated_bytes()) - Int(rawBefore)) / Double(count)
        source = []
        // The resident growth includes what the allocator keeps but does not
        // hand out (fragmentation, free lists); the process total also holds
        // the source records and the benchmark's own state.
        var resident = ""
        if let residentBefore, let residentAfter {
            resident = #","rss_growth_bytes":\#(residentAfter - residentBefore),"rss_bytes":\#(residentAfter)"#
        }
        print(#"{"name":"memory store bytes per session","sessions":\#(count),"bytes_per_session":\#(Int(ours.rounded())),"payload_bytes":\#(Int(payloadBytes.rounded())),"overhead_bytes":\#(Int((ours - payloadBytes).rounded())),"baseline":"[SessionLookupKey: SessionRecord]","baseline_bytes_per_session":\#(Int(raw.rounded())),"ratio":\#(String(format: "%.3f", ours / raw))\#(resident)}"#)
        withExtendedLifetime(dictionary) {}
    }

    private func sqlite(_ records: [SessionRecord]) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try await SQLiteStorage.open(path: directory.appendingPathComponent("tessera.db").path)
        let raw = try await SQLiteConnection.open(storage: .file(path: directory.appendingPathComponent("raw.db").path))
        _ = try await raw.query("PRAGMA journal_mode = WAL")
        _ = try await raw.query("PRAGMA synchronous = NORMAL")
        _ = try await raw.query("CREATE TABLE raw (key BLOB PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID")
        for record in records {
            try await storage.sessions.insert(record)
            _ = try await raw.query("INSERT INTO raw (key, data) VALUES (?, ?)", [.blob(.init(bytes: record.key.bytes)), .blob(.init(bytes: record.data))])
        }
        try await compareLoadAndSave(
            "sqlite store", store: storage.sessions, records: records,
            rawLoad: { record in
                guard try await !raw.query("SELECT data FROM raw WHERE key = ?", [.blob(ByteBuffer(bytes: record.key.bytes))]).isEmpty else { fatalError("lost a row") }
            }, loadBaseline: "sqlite-nio SELECT by primary key",
            rawSave: { record in
                _ = try await raw.query("UPDATE raw SET data = ? WHERE key = ?", [.blob(ByteBuffer(bytes: record.data)), .blob(ByteBuffer(bytes: record.key.bytes))])
            }, saveBaseline: "sqlite-nio UPDATE by primary key"
        )
        // A server has many requests in flight: 8 loads at once.
        var index = 0
        let sessions = storage.sessions
        let inFlight = 8
        let (concurrentOurs, concurrentRaw) = try await Self.compare(seconds: seconds, rounds: rounds, ours: {
            index = (index &+ inFlight) % records.count
            let keys = (0..<inFlight).map { records[(index + $0) % records.count].key }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in keys { group.addTask { guard try await sessions.load(key) != nil else { fatalError("lost a session") } } }
                try await group.waitForAll()
            }
        }, raw: {
            index = (index &+ inFlight) % records.count
            let keys = (0..<inFlight).map { records[(index + $0) % records.count].key.bytes }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in keys { group.addTask { _ = try await raw.query("SELECT data FROM raw WHERE key = ?", [.blob(ByteBuffer(bytes: key))]) } }
                try await group.waitForAll()
            }
        })
        print(Self.line("sqlite store load (8 in flight)", ours: concurrentOurs * Double(inFlight), baseline: "sqlite-nio SELECT by primary key (8 in flight)", raw: concurrentRaw * Double(inFlight)))

        try await raw.close()
        await storage.close()
    }

    private func postgres(_ records: [SessionRecord]) async throws {
        guard let url = ProcessInfo.processInfo.environment["TESSERA_POSTGRES_URL"] else {
            printError("postgres store: skipped (set TESSERA_POSTGRES_URL, or run under scripts/with-postgres.sh)")
            return
        }
        var quiet = Logger(label: "tessera.bench")
        quiet.logLevel = .error
        let storage = try PostgresStorage(url: url, logger: quiet)
        let runner = Task { try await storage.run() }
        defer { runner.cancel() }
        try await storage.migrate()
        _ = try await storage.sessions.deleteAllRecords()
        let client = storage.client
        try await client.query("DROP TABLE IF EXISTS tessera_bench_raw")
        try await client.query("CREATE TABLE tessera_bench_raw (key bytea PRIMARY KEY, data bytea NOT NULL)")
        let subset = Array(records.prefix(2000))
        for record in subset {
            try await storage.sessions.insert(record)
            try await client.query("INSERT INTO tessera_bench_raw (key, data) VALUES (\(ByteBuffer(bytes: record.key.bytes)), \(ByteBuffer(bytes: record.data)))")
        }
        try await compareLoadAndSave(
            "postgres store", store: storage.sessions, records: subset,
            rawLoad: { record in
                guard try await !client.query("SELECT data FROM tessera_bench_raw WHERE key = \(ByteBuffer(bytes: record.key.bytes))").collect().isEmpty else { fatalError("lost a row") }
            }, loadBaseline: "postgres-nio SELECT by primary key",
            rawSave: { record in
                try await client.query("UPDATE tessera_bench_raw SET data = \(ByteBuffer(bytes: record.data)) WHERE key = \(ByteBuffer(bytes: record.key.bytes))")
            }, saveBaseline: "postgres-nio UPDATE by primary key"
        )
        try await client.query("DROP TABLE tessera_bench_raw")
        _ = try await storage.sessions.deleteAllRecords()
    }
}

/// Carries the footprint run's inputs into its detached task.
private struct UncheckedBox: @unchecked Sendable {
    let store: MemorySessionStore
    let records: [SessionRecord]
}

