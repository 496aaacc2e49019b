using Jobwatch.Contracts.Audit;

namespace Jobwatch.Client;

public sealed partial class JobwatchClient
{
    /// <summary>
    /// <c>GET /api/v1/audit</c>: operator actions (who did what to which job or queue, when, and how it ended), newest first.
    /// Pass the answer's <c>NextCursor</c> as <see cref="AuditSearchQuery.Cursor"/> for the next page. Needs an operator or admin token.
    /// </summary>
    public Task<AuditListResponse> ListAuditAsync(AuditSearchQuery? query = null, CancellationToken ct = default) =>
        GetAsync<AuditListResponse>("api/v1/audit" + (query ?? new AuditSearchQuery()).ToQueryString(), ct);

    /// <summary>Every audit entry matching <paramref name="query"/>, newest first, fetching page after page.</summary>
    public async IAsyncEnumerable<AuditEntryDto> ListAllAuditAsync(AuditSearchQuery? query = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var next = query ?? new AuditSearchQuery();
        while (true)
        {
            var page = await ListAuditAsync(next, ct).ConfigureAwait(false);
            foreach (var entry in page.Entries)
            {
                yield return entry;
            }
            if (page.NextCursor is null)
            {
                yield break;
            }
            next = next with { Cursor = page.NextCursor };
        }
    }
}
