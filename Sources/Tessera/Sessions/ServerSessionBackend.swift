import Foundation

/// Sessions kept in a ``SessionStore``, named by a random ID in the cookie.
struct ServerSessionBackend: SessionBackend {
    let store: any SessionStore
    let configuration: SessionConfiguration
    let random: RandomSource

    func resume(_ cookies: RequestCookies, client: SessionClient, now: Date) async throws(SessionError) -> Session {
        var origin = Session.Origin.none
        // A sibling subdomain can plant a second cookie of the same name
        // (cookie tossing): try each in order and take the first live one.
        for value in cookies.values(named: configuration.cookie.name) {
            guard let id = SessionID(cookieValue: value) else {
                origin = .ended(.malformed)
                continue
            }
            let record: SessionRecord?
            do { record = try await store.load(id.lookupKey) } catch { throw .store(error) }
            guard let record else {
                origin = .ended(.unknown)
                continue
            }
            if let end = configuration.expiry(createdAt: record.createdAt, lastSeenAt: record.lastSeenAt, now: now) {
                do { try await store.delete(record.key) } catch { throw .store(error) }
                origin = .ended(end)
                continue
            }
            let values = try SessionValues(encoded: record.data)
            return Session(origin: .resumed, id: id, record: record, values: values, client: client)
        }
        return Session(origin: origin, id: nil, record: nil, values: SessionValues(), client: client)
    }

    func save(_ session: inout Session, now: Date) async throws(SessionError) -> [SetCookie] {
        let presented = session.origin != .none
        if session.ended {
            let stored = session.record
            if let stored {
                do { try await store.delete(stored.key) } catch { throw .store(error) }
            }
            session.record = nil
            session.id = nil
            return presented || stored != nil ? [configuration.clearingCookie()] : []
        }
        guard let loaded = session.record else {
            return try await insertNew(&session, now: now, presented: presented)
        }
        // The manager calls only when a save is due (`Session.saveIsDue`):
        // here, changes to write or a last-seen time to move.
        var base = loaded
        // The session's own values already are the loaded ones with this
        // request's changes applied; only a re-read base needs a decode.
        var mergedValues: SessionValues? = session.values
        for _ in 0..<configuration.maximumSaveAttempts {
            let rotate = session.rotationRequested
            let newID = rotate ? SessionID(random: random) : session.id
            guard let newID else { break }
            var next = base
            var values: SessionValues
            if let mergedValues {
                values = mergedValues
            } else {
                values = try SessionValues(encoded: base.data)
                values.apply(session.changes)
            }
            if let identity = session.pendingIdentity {
                if identity.userID != base.userID, base.userID != nil {
                    // A different user signs in on this browser: nothing of
                    // the previous user's session carries over.
                    values = SessionValues()
                    values.apply(session.changes)
                }
                next.userID = identity.userID
                next.authenticatedAt = identity.authenticatedAt
                next.authenticationMethod = identity.method
            }
            next.key = newID.lookupKey
            next.version = base.version + 1
            next.data = values.encoded()
            next.lastSeenAt = now
            next.expiresAt = configuration.deadline(createdAt: base.createdAt, lastSeenAt: now)
            next.clientAddress = session.client.address ?? base.clientAddress
            next.userAgent = session.client.userAgent ?? base.userAgent

            let written: Bool
            do {
                written = try await store.update(next, replacing: base.key, expectedVersion: base.version)
            } catch .duplicateKey {
                continue  // a fresh random ID collided: draw another
            } catch {
                throw .store(error)
            }
            if written {
                session.record = next
                session.id = newID
                session.values = values
                session.changes = [:]
                session.pendingIdentity = nil
                session.rotationRequested = false
                let reissue = rotate || configuration.cookie.persistent
                return reissue ? [configuration.setCookie(value: newID.cookieValue, deadline: next.expiresAt, now: now)] : []
            }
            // Lost a race: another request wrote first. Re-read and re-apply
            // only what this request changed.
            let current: SessionRecord?
            do { current = try await store.load(base.key) } catch { throw .store(error) }
            guard let current, configuration.expiry(createdAt: current.createdAt, lastSeenAt: current.lastSeenAt, now: now) == nil else {
                return try await sessionVanished(&session, now: now)
            }
            if !session.hasChanges {
                // Only a last-seen write, and someone else just made one.
                session.record = current
                session.values = try SessionValues(encoded: current.data)
                return []
            }
            base = current
            mergedValues = nil
        }
        throw .saveContention(attempts: configuration.maximumSaveAttempts)
    }

    /// The session was ended (logout elsewhere, revocation) while this
    /// request ran. A sign-in still gets a session; anything else is dropped.
    private func sessionVanished(_ session: inout Session, now: Date) async throws(SessionError) -> [SetCookie] {
        session.record = nil
        session.id = nil
        guard let identity = session.pendingIdentity, identity.userID != nil else {
            session.changes = [:]
            session.ended = true
            return [configuration.clearingCookie()]
        }
        var fresh = SessionValues()
        fresh.apply(session.changes)
        session.values = fresh
        return try await insertNew(&session, now: now, presented: true)
    }

    private func insertNew(_ session: inout Session, now: Date, presented: Bool) async throws(SessionError) -> [SetCookie] {
        guard session.hasContent else {
            // Nothing to keep: store nothing, and clear a dead cookie.
            return presented ? [configuration.clearingCookie()] : []
        }
        let identity = session.pendingIdentity
        for _ in 0..<4 {
            let id = SessionID(random: random)
            let record = SessionRecord(
                key: id.lookupKey,
                handle: SessionHandle(random: random),
                version: 1,
                userID: identity?.userID,
                data: session.values.encoded(),
                createdAt: now,
                lastSeenAt: now,
                expiresAt: configuration.deadline(createdAt: now, lastSeenAt: now),
                authenticatedAt: identity?.authenticatedAt,
                authenticationMethod: identity?.method,
                clientAddress: session.client.address,
                userAgent: session.client.userAgent
            )
            do {
                try await store.insert(record)
            } catch .duplicateKey {
                continue
            } catch {
                throw .store(error)
            }
            session.id = id
            session.record = record
            session.changes = [:]
            session.pendingIdentity = nil
            session.rotationRequested = false
            return [configuration.setCookie(value: id.cookieValue, deadline: record.expiresAt, now: now)]
        }
        throw .storeUnavailable(.duplicateKey)
    }

    func records(ofUser userID: String) async throws(SessionError) -> [SessionRecord] {
        do { return try await store.records(ofUser: userID) } catch { throw .store(error) }
    }

    func revoke(_ handle: SessionHandle, ofUser userID: String) async throws(SessionError) -> Bool {
        // Only the user's own sessions are searched: a handle of another
        // account's session matches nothing (no IDOR).
        guard let target = try await records(ofUser: userID).first(where: { $0.handle == handle }) else { return false }
        do { try await store.delete(target.key) } catch { throw .store(error) }
        return true
    }

    func revokeAll(ofUser userID: String, except kept: Session?, now: Date) async throws(SessionError) {
        do { _ = try await store.deleteRecords(ofUser: userID, except: kept?.record?.key) } catch { throw .store(error) }
    }

    func revokeEveryone(now: Date) async throws(SessionError) {
        do { _ = try await store.deleteAllRecords() } catch { throw .store(error) }
    }
}
