import HTTPTypes
import Hummingbird

extension Request {
    /// The values of the request's `Cookie` fields, in order: what every
    /// cookie-reading authenticator parses. `HTTPFields` finds them in one
    /// pass without copying the other fields.
    var cookieHeaderValues: [String] {
        headers[values: .cookie]
    }
}
