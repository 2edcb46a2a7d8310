import Foundation
import Testing
import TesseraFuzzTargets

/// Every fuzz target's seed corpus (Fuzz/Corpus/TARGET) and its code-made
/// samples, replayed through the target as plain tests: what `.ci/run`
/// runs of the fuzzers without the sanitizer build (scripts/fuzz.sh fuzzes
/// for real). A broken property stops the test process.
@Suite struct FuzzSeedCorpusTests {
    static let corpus = Fixtures.repositoryRoot.appendingPathComponent("Fuzz/Corpus")

    static func seeds(of target: FuzzTarget) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(
            at: corpus.appendingPathComponent(target.rawValue), includingPropertiesForKeys: nil)
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedCorpusAndSamplesKeepEveryProperty(_ target: FuzzTarget) async throws {
        let fixtures = try await FuzzFixtures.make()
        let seeds = try Self.seeds(of: target)
        #expect(seeds.count >= 4, "\(target.rawValue): a seed corpus of at least 4 inputs")
        for seed in seeds {
            target.run(try [UInt8](Data(contentsOf: seed)), with: fixtures)
        }
        for sample in target.samples(with: fixtures) {
            target.run(sample, with: fixtures)
        }
    }

    @Test func everyCorpusDirectoryBelongsToATarget() throws {
        let directories = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        #expect(Set(directories) == Set(FuzzTarget.allCases.map(\.rawValue)))
    }

    /// The samples reach the accepting path of their decoders: a fuzzer
    /// starting from them mutates authentic tokens, not noise.
    @Test(arguments: [FuzzTarget.signedValue, .sealedValue, .tornado, .django, .jwt])
    func samplesAreAcceptedByTheirDecoders(_ target: FuzzTarget) async throws {
        let fixtures = try await FuzzFixtures.make()
        let samples = target.samples(with: fixtures)
        #expect(samples.count >= 2)
        for sample in samples {
            #expect(target.accepts(sample, with: fixtures), "\(target.rawValue): a code-made sample is accepted")
        }
    }
}
