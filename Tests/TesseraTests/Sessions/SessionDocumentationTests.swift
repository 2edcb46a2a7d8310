import Foundation
import Testing
@testable import Tessera

/// The README's timeout table and the code's defaults must agree.
@Suite("Session documentation")
struct SessionDocumentationTests {
    /// The "default" column of the README row whose first cell is `setting`.
    static func documentedDefault(_ setting: String) throws -> String {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let row = try #require(readme.split(separator: "\n").first { $0.hasPrefix("| \(setting) |") }, "README has no row for \(setting)")
        let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        return try #require(cells.count > 2 ? cells[1] : nil)
    }

    /// "30 minutes" → 1800.
    static func seconds(_ text: String) throws -> TimeInterval {
        let parts = text.split(separator: " ")
        let amount = try #require(parts.first.flatMap { Double($0) }, "not a duration: \(text)")
        let unit: TimeInterval = switch parts.dropFirst().first {
        case "seconds", "second": 1
        case "minutes", "minute": 60
        case "hours", "hour": 3600
        default: .nan
        }
        return amount * unit
    }

    @Test("ASVS-7.1.1: SessionConfiguration() has the timeouts the README documents")
    func ASVS_7_1_1_defaultsMatchTheDocs() throws {
        let defaults = SessionConfiguration()
        #expect(try Self.seconds(Self.documentedDefault("Idle timeout")) == defaults.idleTimeout)
        #expect(try Self.seconds(Self.documentedDefault("Absolute timeout")) == defaults.absoluteTimeout)
        #expect(try Self.seconds(Self.documentedDefault("Activity write interval")) == defaults.activityWriteInterval)
        #expect(try Self.documentedDefault("Sessions per user") == "unlimited")
        #expect(defaults.maximumSessionsPerUser == nil)
        #expect(try Self.documentedDefault("Cookie").contains("`\(defaults.cookie.name)`"))
        #expect(defaults.cookie.persistent == false)
    }
}
