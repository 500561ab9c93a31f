using System.Text;

namespace Embeddings.Hub;

/// <summary>
/// Turns a failed hub response into the typed exception that says what to do. The hub names the cause
/// in an <c>X-Error-Code</c> header (<c>RepoNotFound</c>, <c>RevisionNotFound</c>, <c>EntryNotFound</c>,
/// <c>GatedRepo</c>) and a human text in <c>X-Error-Message</c>; the status code decides when it is absent.
/// </summary>
internal static class HubErrors
{
    private const int MaxServerMessageLength = 300;

    /// <summary>Who asked for what: enough to write a message that names the repository, revision and file.</summary>
    /// <param name="RepoId">The repository.</param>
    /// <param name="Revision">The revision asked for.</param>
    /// <param name="FileName">The file asked for, or null for a repository-level call.</param>
    /// <param name="Endpoint">The hub's base address.</param>
    /// <param name="TokenSent">Whether the request carried the token (changes the advice for 401/403).</param>
    public sealed record Context(string RepoId, string Revision, string? FileName, Uri Endpoint, bool TokenSent)
    {
        /// <summary>"file 'x' of 'org/name' at revision 'main'" or "'org/name' at revision 'main'".</summary>
        public string Subject => FileName is null
            ? $"'{RepoId}' at revision '{Revision}'"
            : $"file '{FileName}' of '{RepoId}' at revision '{Revision}'";
    }

    /// <summary>The exception for a response whose status is neither success nor redirect.</summary>
    public static HubException FromResponse(HttpResponseMessage response, Context context)
    {
        var status = (int)response.StatusCode;
        var code = HubTransport.Header(response, "X-Error-Code");
        var serverMessage = ServerMessage(response);

        if (status is 401 or 403)
            return Authentication(context, status, isGated: code == "GatedRepo", serverMessage);

        if (code == "RevisionNotFound")
            return new HubRevisionNotFoundException(
                $"Revision '{context.Revision}' does not exist in '{context.RepoId}'. Use an existing branch, tag or full commit hash (the default is '{HubNames.DefaultRevision}').{serverMessage}",
                context.RepoId, context.Revision);

        if (code == "RepoNotFound" || (status == 404 && context.FileName is null && code is null))
            return new HubRepositoryNotFoundException(
                $"Repository '{context.RepoId}' was not found on {context.Endpoint}. Check the model id ('namespace/name'); if the model is private, set HF_TOKEN (or HubOptions.Token) to a token that can read it.{serverMessage}",
                context.RepoId);

        if (code == "EntryNotFound" || (status == 404 && context.FileName is not null))
        {
            var commit = HubTransport.Header(response, "X-Repo-Commit");
            return EntryNotFound(context, HubNames.IsValidServerCommit(commit) ? commit : null, serverMessage);
        }

        return new HubResponseException(
            $"The hub at {context.Endpoint} answered HTTP {status} ({response.ReasonPhrase}) for {context.Subject}.{serverMessage} " +
            (status is 429 or >= 500 ? "The hub is busy or down: retry later." : "Check the request and HF_ENDPOINT."),
            context.RepoId, status);
    }

    /// <summary>The exception for a file the hub says does not exist.</summary>
    public static HubEntryNotFoundException EntryNotFound(Context context, string? commit, string serverMessage = "") =>
        new($"File '{context.FileName}' does not exist in '{context.RepoId}' at revision '{context.Revision}'. Check the name: paths are relative to the repository root, with '/' separators.{serverMessage}",
            context.RepoId, context.Revision, context.FileName ?? "", commit);

    private static HubAuthenticationException Authentication(Context context, int status, bool isGated, string serverMessage)
    {
        string advice;
        if (isGated)
        {
            advice = context.TokenSent
                ? $"'{context.RepoId}' is a gated model and the token sent has no access to it: accept its terms at {ModelPage(context)} with the account the token belongs to, or use a token of an account that has."
                : $"'{context.RepoId}' is a gated model: accept its terms at {ModelPage(context)}, then set HF_TOKEN (or HubOptions.Token) to an access token of that account.";
        }
        else
        {
            advice = context.TokenSent
                ? $"The hub refused the token for '{context.RepoId}': it is invalid or expired, or cannot read this repository. Check the model id and use a token with read access (HF_TOKEN, HubOptions.Token or `hf auth login`)."
                : $"'{context.RepoId}' is private or gated, or does not exist. Check the model id; for a private or gated model set HF_TOKEN (or HubOptions.Token) to an access token with read access.";
        }
        return new HubAuthenticationException($"Access denied (HTTP {status}) to {context.Subject}. {advice}{serverMessage}", context.RepoId, status, isGated);
    }

    private static string ModelPage(Context context) =>
        $"{context.Endpoint.AbsoluteUri.TrimEnd('/')}/{context.RepoId}";

    // The hub's own words help ("Access to model X is restricted..."); keep them short and printable.
    private static string ServerMessage(HttpResponseMessage response)
    {
        var text = HubTransport.Header(response, "X-Error-Message");
        if (string.IsNullOrWhiteSpace(text)) return "";
        var clean = new StringBuilder(Math.Min(text.Length, MaxServerMessageLength));
        foreach (var c in text)
        {
            if (clean.Length == MaxServerMessageLength) break;
            clean.Append(char.IsControl(c) ? ' ' : c);
        }
        return $" The hub said: \"{clean.ToString().Trim()}\"";
    }
}
