import Foundation
import Testing
@testable import Tessera

/// Runs every `.json` vector file of `TESSERA_INTEROP_VECTORS` (default: the
/// public set copied into Fixtures/interop) through Tessera's compat layer.
@Suite struct InteropVectorTests {
    static var vectorFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.interopDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func test_V_InteropDirectoryHasVectorFiles() {
        #expect(!Self.vectorFiles.isEmpty, "no .json vector files in \(Fixtures.interopDirectory.path)")
    }

    @Test(arguments: vectorFiles)
    func test_V_InteropVectorFile(_ file: String) async throws {
        let data = try Data(contentsOf: Fixtures.interopDirectory.appendingPathComponent(file))
        let document = try JSONParser.parse(Array(data))
        let fileFormat = document["format"]?.stringValue ?? "(none)"
        guard case .array(let items)? = document["vectors"] else {
            Issue.record("interop \(file): no \"vectors\" array")
            return
        }
        var passed = 0, failed = 0, lenientRejected: [String] = [], refusedByPolicy: [String] = []
        for item in items {
            let vector = InteropVector(fields: item)
            let format = vector.string("format") ?? fileFormat
            do {
                let outcome = InteropJWTRunner.formats.contains(format)
                    ? try await InteropJWTRunner.run(vector)
                    : try InteropRunner.run(vector, format: format)
                if outcome.verdict == "refused-by-policy" {
                    refusedByPolicy.append(vector.id)
                    passed += 1
                    continue
                }
                if let problem = InteropRunner.judge(outcome, vector) {
                    failed += 1
                    Issue.record("interop \(file) \(vector.id): \(problem)")
                } else {
                    passed += 1
                    if vector.isLenient && outcome.verdict != vector.expect { lenientRejected.append(vector.id) }
                }
            } catch {
                failed += 1
                Issue.record("interop \(file) \(vector.id): \(error)")
            }
        }
        print("interop \(file): \(items.count) vectors, \(passed) passed, \(failed) failed"
              + (lenientRejected.isEmpty ? "" : " (lenient, rejected by choice: \(lenientRejected.joined(separator: ", ")))")
              + (refusedByPolicy.isEmpty ? "" : " (refused by security policy: \(refusedByPolicy.joined(separator: ", ")))"))
    }
}
