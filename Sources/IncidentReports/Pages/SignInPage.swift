/// Signing in with an access token (from `incidents tokens create`), which the server turns into a
/// session cookie.
public enum SignInPage {
    /// The form; `error` is the refusal of a previous try; `next` is where to go after signing in.
    public static func render(csrf: String, next: String?, error: String? = nil) -> String {
        var main = "<header>\n<h1>Sign in</h1>\n<p class=\"note\">With an access token from <code>incidents tokens create --role ROLE --name NAME</code>. What the pages show and offer follows the token’s role.</p>\n</header>\n"
        if let error { main += "<p class=\"error\" role=\"alert\">\(HTML.escape(error))</p>\n" }
        main += "<form id=\"sign-in\" class=\"stacked\" method=\"post\" action=\"/sign-in\">\n"
        main += "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">\n"
        if let next { main += "<input type=\"hidden\" name=\"next\" value=\"\(HTML.escape(next))\">\n" }
        main += "<label for=\"token\">Access token <span class=\"hint\">The second line <code>incidents tokens create</code> printed. It is kept only as a session on this server, never in the page.</span></label>\n"
        main += "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required spellcheck=\"false\">\n"
        main += "<p><button type=\"submit\">Sign in</button></p>\n</form>\n"
        return WebPage.render(title: "Sign in", viewer: nil, main: main)
    }
}
