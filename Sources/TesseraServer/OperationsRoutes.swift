import HTTPTypes
import Hummingbird
import Prometheus
import Tessera

/// `/healthz` for load balancers and orchestrators, `/metrics` for Prometheus.
struct OperationsRoutes: Sendable {
    let services: ServerServices
    let registry: PrometheusCollectorRegistry?

    func register(on router: Router<ServerRequestContext>) {
        router.get("healthz", use: health)
        if registry != nil { router.get("metrics", use: metrics) }
    }

    /// 200 `{"status":"ok"}` when the store answers, else 503: a server whose
    /// store is down can't authenticate anyone and should get no traffic.
    @Sendable func health(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let healthy: Bool
        do {
            _ = try await services.storage.users.user(id: "healthz")
            healthy = true
        } catch {
            healthy = false
        }
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if !healthy { headers[.retryAfter] = "5" }
        return Response(status: healthy ? .ok : .serviceUnavailable, headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: healthy ? #"{"status":"ok"}"# : #"{"status":"store_unavailable"}"#)))
    }

    @Sendable func metrics(_ request: Request, context: ServerRequestContext) async throws -> Response {
        var buffer: [UInt8] = []
        registry?.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
