import Hummingbird

/// Adds `X-Content-Type-Options: nosniff` to every response, so a browser never reads an image, a JSON
/// body or a viewer asset as anything but the type it was sent with (docs/architecture.md, "The viewer").
struct NoSniffMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
