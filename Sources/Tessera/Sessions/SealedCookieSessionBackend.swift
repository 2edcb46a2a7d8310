import Crypto
import Foundation

/// Sessions with no server state: the whole session sealed (AES-GCM) into
/// the cookie, split over several cookies when large.
///
/// Validity comes only from MAC-protected times inside the seal (created,
/// last seen), never from cookie attributes. Because the server keeps no
/// record, ending one session early is impossible, but "sign out
/// everywhere" works through per-user ``RevocationEpochs``: a seal carries
/// the epochs it was issued under, and a raised epoch ends it on every
/// server within the epochs' `maximumLag`.
struct SealedCookieSessionBackend: SessionBackend {
    let codec: SealedValueCodec
    let epochs: RevocationEpochs
    let chunker: CookieChunker
    let configuration: SessionConfiguration
    let random: RandomSource

    func resume(_ cookies: RequestCookies, client: SessionClient, now: Date) async throws(SessionError) -> Session {
        var origin = Session.Origin.none
        let name = configuration.cookie.name
        for token in chunker.values(name: name, request: cookies) {
            // The seal's own age check bounds replay of very old cookies
            // even if the clock inside the payload were somehow wrong.
            guard case .valid(let opened) = codec.open(token, name: name, maxAge: configuration.absoluteTimeout, now: now),
                  let (stamp, record) = Self.decode(opened.value)
            else {
                origin = .ended(.malformed)
                continue
            }
            if let end = configuration.expiry(createdAt: record.createdAt, lastSeenAt: record.lastSeenAt, now: now) {
                origin = .ended(end)
                continue
            }
            let revoked: Bool
            do { revoked = try await epochs.isRevoked(stamp, user: record.userID, now: now) } catch { throw .store(error) }
            if revoked {
                origin = .ended(.revoked)
                continue
            }
            let values = try SessionValues(encoded: record.data)
            var session = Session(origin: .resumed, id: nil, record: record, values: values, client: client, epochs: stamp)
            session.requestCookies = cookies
            return session
        }
        if cookies.values(named: name).isEmpty == false, origin == .none { origin = .ended(.malformed) }
        var session = Session(origin: origin, id: nil, record: nil, values: SessionValues(), client: client)
        session.requestCookies = cookies
        return session
    }

    func save(_ session: inout Session, now: Date) async throws(SessionError) -> [SetCookie] {
        let presented = session.origin != .none
        if session.ended {
            let hadRecord = session.record != nil
            session.record = nil
            return presented || hadRecord ? clearingCookies(session.requestCookies) : []
        }
        let base = session.record
        if base == nil, !session.hasContent {
            return presented ? clearingCookies(session.requestCookies) : []
        }
        let handle = base?.handle ?? SessionHandle(random: random)
        var record = base ?? SessionRecord(
            key: Self.lookupKey(for: handle), handle: handle, version: 0,
            createdAt: now, lastSeenAt: now, expiresAt: now,
            clientAddress: session.client.address, userAgent: session.client.userAgent
        )
        if let identity = session.pendingIdentity {
            record.userID = identity.userID
            record.authenticatedAt = identity.authenticatedAt
            record.authenticationMethod = identity.method
        }
        record.version += 1
        record.data = session.values.encoded()
        record.lastSeenAt = now
        record.expiresAt = configuration.deadline(createdAt: record.createdAt, lastSeenAt: now)
        // A sign-in or a "sign out other sessions" stamps the current epochs,
        // read fresh; otherwise the seal keeps the epochs it was issued under.
        let stamp: RevocationEpochs.Stamp
        if let existing = session.epochs, session.pendingIdentity == nil, !session.rotationRequested {
            stamp = existing
        } else {
            do { stamp = try await epochs.stamp(user: record.userID, now: now, fresh: true) } catch { throw .store(error) }
        }
        let token: String
        do {
            token = try codec.seal(Self.encode(stamp, record), name: configuration.cookie.name, now: now)
        } catch {
            throw .sessionTooLarge("\(error)")
        }
        let template = configuration.setCookie(value: "", deadline: record.expiresAt, now: now)
        let cookies: [SetCookie]
        do {
            cookies = try chunker.cookies(name: configuration.cookie.name, value: token, template: template, request: session.requestCookies)
        } catch {
            throw .sessionTooLarge("\(error)")
        }
        session.record = record
        session.epochs = stamp
        session.changes = [:]
        session.pendingIdentity = nil
        session.rotationRequested = false
        return cookies
    }

    private func clearingCookies(_ request: RequestCookies) -> [SetCookie] {
        var cookies = [configuration.clearingCookie()]
        for index in 1..<CookieChunker.chunkLimit {
            let chunk = CookieChunker.chunkName(configuration.cookie.name, index: index)
            if !request.values(named: chunk).isEmpty { cookies.append(configuration.clearingCookie(name: chunk)) }
        }
        return cookies
    }

    func records(ofUser userID: String) async throws(SessionError) -> [SessionRecord] {
        throw .unsupported("sealed-cookie sessions keep no server state, so they can't be listed; use a server-side store")
    }

    func revoke(_ handle: SessionHandle, ofUser userID: String) async throws(SessionError) -> Bool {
        throw .unsupported("a single sealed-cookie session can't be ended early; revoke all of the user's sessions instead")
    }

    func revokeAll(ofUser userID: String, except kept: Session?, now: Date) async throws(SessionError) {
        do { try await epochs.advance(userID, now: now) } catch { throw .store(error) }
    }

    func revokeEveryone(now: Date) async throws(SessionError) {
        do { try await epochs.advance(RevocationEpochs.everyone, now: now) } catch { throw .store(error) }
    }

    /// A stable stand-in key, so a sealed record has the shape stores use.
    private static func lookupKey(for handle: SessionHandle) -> SessionLookupKey {
        SessionLookupKey(digest: SHA256.hash(data: handle.bytes))
    }

    private static func encode(_ stamp: RevocationEpochs.Stamp, _ record: SessionRecord) throws(SessionError) -> [UInt8] {
        var writer = BinaryWriter()
        writer.append(stamp.user)
        writer.append(stamp.everyone)
        do { writer.appendRaw(try SessionRecordCoding.encode(record)) } catch { throw .sessionTooLarge("\(error)") }
        return writer.bytes
    }

    private static func decode(_ bytes: [UInt8]) -> (RevocationEpochs.Stamp, SessionRecord)? {
        var reader = BinaryReader(bytes)
        guard let user = reader.read(Int64.self), let everyone = reader.read(Int64.self),
              bytes.count > 16,
              let record = try? SessionRecordCoding.decode(Array(bytes[16...]))
        else { return nil }
        return (RevocationEpochs.Stamp(user: user, everyone: everyone), record)
    }
}
