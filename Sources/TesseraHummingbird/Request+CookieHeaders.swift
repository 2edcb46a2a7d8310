import HTTPTypes
import Hummingbird

extension Request {
    /// The values of the request's `Cookie` fields, read in place (no
    /// array is built): what every cookie-reading authenticator parses.
    var cookieHeaderValues: LazyMapSequence<LazyFilterSequence<HTTPFields>, String> {
        headers.lazy.filter { $0.name == .cookie }.map(\.value)
    }
}
