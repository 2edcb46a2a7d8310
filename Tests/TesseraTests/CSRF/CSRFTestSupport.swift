import Foundation
import Synchronization
import Testing
@testable import Tessera

/// Shared fixtures of the CSRF suites: the site under test and request builders.
enum CSRFFixture {
    /// The server the requests are sent to.
    static let site = CSRFOrigin("https://example.com")!

    /// What a table row expects: let through, or refused with a code.
    enum Outcome: Equatable, CustomStringConvertible {
        case allow
        case deny(CSRFRejection.Reason)

        init(_ decision: CSRFDecision) {
            switch decision {
            case .allow: self = .allow
            case .deny(let rejection): self = .deny(rejection.reason)
            }
        }

        var description: String {
            switch self {
            case .allow: "allow"
            case .deny(let reason): "deny(\(reason.rawValue))"
            }
        }
    }

    /// An unsafe, cookie-authenticated request to ``site`` unless told otherwise.
    static func request(
        _ method: String = "POST",
        path: String = "/",
        server: CSRFOrigin? = site,
        credential: CSRFCredentialSource = .cookie,
        fetchSite: String? = nil,
        origin: String? = nil,
        referer: String? = nil,
        header: String? = nil,
        form: String? = nil
    ) -> CSRFRequest {
        CSRFRequest(
            method: method, path: path, serverOrigin: server, credential: credential,
            secFetchSite: fetchSite, origin: origin, referer: referer, headerToken: header, formToken: form
        )
    }

    /// A session that has never been saved, as a first request gets.
    static func freshSession() -> Session {
        Session(origin: .none, id: nil, record: nil, values: SessionValues(), client: SessionClient())
    }
}

/// A reproducible `RandomSource` that also counts the bytes it handed out.
final class SeededCSRFRandom: Sendable {
    private let state: Mutex<(generator: TestRandom, drawn: Int)>

    init(seed: UInt64) { state = Mutex((TestRandom(seed: seed), 0)) }

    var drawn: Int { state.withLock { $0.drawn } }

    var source: RandomSource {
        RandomSource { [self] count in
            self.state.withLock { state in
                state.drawn += count
                return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &state.generator) }
            }
        }
    }
}
