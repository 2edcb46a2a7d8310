import Foundation
import Tessera
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `cookies.txt` file (``NetscapeCookieFormat``) that a jar is loaded from
/// and saved to.
///
/// Saving is safe when several processes share the file (two `tessera`
/// commands at once): under an exclusive lock on `PATH.lock`, the file is read
/// again, this jar's changes since it was loaded (or last saved) are replayed
/// onto it, and the result replaces the file atomically with mode 0600. A reader never sees half
/// a file, and neither process's cookies are lost.
public struct CookieJarFile: Sendable {
    /// Why a cookie file could not be read or written. Names the path, never the contents.
    public struct Failure: Error, CustomStringConvertible {
        /// The file involved.
        public let path: String
        /// What failed.
        public let reason: String
        public var description: String { "cookie jar \(path): \(reason)" }
    }

    /// The file's path.
    public let path: String

    /// A jar file at `path`; nothing is read until ``load(publicSuffixes:limits:now:)``.
    public init(path: String) {
        self.path = path
    }

    /// `$XDG_CONFIG_HOME/tessera/cookies.txt`, or `~/.config/tessera/cookies.txt`
    /// when `XDG_CONFIG_HOME` is unset or not absolute (as the XDG spec says).
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base: String
        if let configured = environment["XDG_CONFIG_HOME"], configured.hasPrefix("/") {
            base = configured
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        }
        return base + "/tessera/cookies.txt"
    }

    /// Reads the file into a new jar; a missing file gives an empty jar. Lines
    /// that are malformed, expired, or scope a cookie to a public suffix are skipped.
    public func load(publicSuffixes: PublicSuffixList = .shared, limits: CookieJar.Limits = CookieJar.Limits(),
                     now: Date = Date()) throws(Failure) -> CookieJar {
        let jar = CookieJar(publicSuffixes: publicSuffixes, limits: limits, recordingChanges: true)
        // A domain cookie for a public suffix (`.com TRUE`) would go to every site under it.
        for cookie in try read(now: now).cookies where cookie.hostOnly || !publicSuffixes.isPublicSuffix(cookie.domain) {
            jar.insert(cookie)
        }
        return jar
    }

    /// Writes `jar` into the file, merged with whatever another process saved
    /// meanwhile. For a jar loaded from this file, that is its changes since
    /// the load or the previous save, replayed in order; for any other jar, all
    /// its cookies, replacing those of the same name, domain and path. Session
    /// cookies are written (with expiry 0) only when `keepingSessionCookies` is set.
    public func save(_ jar: CookieJar, keepingSessionCookies: Bool, now: Date = Date()) throws(Failure) {
        try createDirectory()
        try withExclusiveLock { () throws(Failure) in
            let latest = try load(publicSuffixes: jar.publicSuffixes, limits: jar.limits, now: now)
            let changes = jar.unsavedChanges
            if let changes {
                latest.replay(changes)
            } else {
                for cookie in jar.allCookies(now: now) { latest.insert(cookie) }
            }
            let text = NetscapeCookieFormat.render(latest.allCookies(now: now), keepingSessionCookies: keepingSessionCookies)
            do {
                try SecureFileWriter.write(Data(text.utf8), to: path)
                jar.forgetSavedChanges(changes?.count ?? 0)
            } catch let failure as SecureFileWriter.Failure {
                throw Failure(path: path, reason: "cannot \(failure.operation) it: \(String(cString: strerror(failure.errno)))")
            } catch {
                throw Failure(path: path, reason: "cannot write it")
            }
        }
    }

    private func read(now: Date) throws(Failure) -> NetscapeCookieFormat.Contents {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return NetscapeCookieFormat.Contents(cookies: [], skippedLines: 0) }
            throw Failure(path: path, reason: "cannot open it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: "cannot read it: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[..<count])
        }
        return NetscapeCookieFormat.parse(String(decoding: bytes, as: UTF8.self), now: now)
    }

    private func createDirectory() throws(Failure) {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(path: path, reason: "cannot create its directory \(directory)")
        }
    }

    private func withExclusiveLock<T>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        let lockPath = path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(path: lockPath, reason: "cannot open the lock file: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Failure(path: lockPath, reason: "cannot lock it: \(String(cString: strerror(errno)))") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
