import HTTPTypes
import Hummingbird

/// Serves the web viewer (docs/architecture.md, "The viewer"): every `/ui/…` path answers the one page,
/// whose script reads the path and the JSON API; the script and style sheet come from `/ui/assets/…`.
/// Nothing here needs a token: the page holds no data, and every API call carries the bearer token the
/// person signed in with.
enum ViewerRoutes {
    /// No inline script or style, no eval, nothing from elsewhere; images only from here or from the
    /// `blob:` URLs the script makes of fetched images.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static func register(on router: Router<APIContext>) {
        for path in ["/ui", "/ui/**"] {
            router.get(RouterPath(path)) { _, _ in page() }
        }
        router.get("/ui/assets/{file}") { _, context in
            guard let asset = ViewerAssets.files[try context.parameters.require("file")] else {
                return Response(
                    status: .notFound, headers: headers("text/plain; charset=utf-8"),
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "not found\n")))
            }
            return Response(status: .ok, headers: headers(asset.contentType), body: ResponseBody(byteBuffer: ByteBuffer(string: asset.text)))
        }
    }

    static func page() -> Response {
        Response(status: .ok, headers: headers("text/html; charset=utf-8"), body: ResponseBody(byteBuffer: ByteBuffer(string: ViewerAssets.page)))
    }

    static func headers(_ contentType: String) -> HTTPFields {
        var fields: HTTPFields = [.contentType: contentType, .contentSecurityPolicy: contentSecurityPolicy, .cacheControl: "no-cache"]
        fields[referrerPolicy] = "no-referrer"
        return fields
    }

    /// No page of the viewer tells another site where it was.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
