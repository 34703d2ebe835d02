import Hummingbird

/// A route as served: method, path template (OpenAPI style) and who may call it.
public struct RouteDescription: Sendable, Hashable {
    /// `GET`, `POST`, …
    public var method: String
    /// e.g. `/v1/sweeps/{name}`.
    public var path: String
    /// Token required.
    public var access: APITokens.Access
}

/// Adds routes to the router, each behind its access check, and keeps the
/// list so tests can hold it against the OpenAPI file.
struct RouteRegistrar {
    let router: Router<APIContext>
    private(set) var routes: [RouteDescription] = []

    init(router: Router<APIContext>) {
        self.router = router
    }

    mutating func add(
        _ method: HTTPRequest.Method, _ path: String, _ access: APITokens.Access,
        _ handler: @escaping @Sendable (Request, APIContext) async throws -> Response
    ) {
        routes.append(RouteDescription(method: method.rawValue, path: path, access: access))
        router.on(RouterPath(path), method: method) { request, context -> Response in
            guard access.allows(context.role) else {
                // 401 asks for a token; 403 says this token's role may not do this.
                guard let role = context.role else { return JSONResponses.error(.unauthorized, "missing or wrong bearer token") }
                return JSONResponses.error(.forbidden, "a \(role.rawValue) token may not do this")
            }
            do {
                return try await handler(request, context)
            } catch {
                // Hummingbird would write {"error": {"message": …}}; the API's documented shape is {"error": "…"}.
                return ErrorStatus.response(for: error, logger: context.logger)
            }
        }
    }
}
