using Jobwatch.StatusCodes;

namespace Jobwatch.Benchmarks.Scenarios.Api;

/// <summary>One job name of the fill: its queue, how often it runs, how long it takes and how often it fails.</summary>
public sealed record FillName(string Name, string Type, string Queue, double Weight, double MedianSeconds, double FailureRate,
    int MaxAttempts, bool CountsItems, int Priority);

/// <summary>A way to fail: the status code, its label and the errors a handler throws with it.</summary>
public sealed record FillFailure(int Code, string Label, double Weight, bool Retryable, string[] Errors, string Exception);

/// <summary>
/// The workload the fill imitates: ~40 job names over 6 queues of very different volume (emails and sync
/// busy, critical rare), ~7% of jobs failing with a handful of codes and messages, a few cancelled.
/// Names, codes and labels are the ones the api scenario's host registers, so every row is one the
/// engine could have written.
/// </summary>
public static class FillMix
{
    public const int CompletedNoChanges = 204;
    public const int SkippedUpToDate = 304;
    public const int InvalidPayload = 470;

    /// <summary>Codes beyond the built-in ones, registered on the measured host as an app would.</summary>
    public static readonly (int Code, string Label, string Description, bool Retryable)[] ExtraCodes =
    [
        (CompletedNoChanges, "NO_CHANGES", "Ran; nothing needed changing", false),
        (SkippedUpToDate, "SKIPPED_UP_TO_DATE", "Skipped: the target was already up to date", false),
        (InvalidPayload, "INVALID_PAYLOAD", "The payload could not be used", false),
    ];

    public static readonly string[] Queues = ["critical", "default", "emails", "reports", "sync", "webhooks"];

    public static readonly FillName[] Names = BuildNames();

    public static readonly FillFailure[] Failures =
    [
        new(JobStatusCodes.InternalError, "INTERNAL_ERROR", 0.45, true,
        [
            "System.InvalidOperationException: Sequence contains no elements",
            "System.NullReferenceException: Object reference not set to an instance of an object.",
            "Npgsql.PostgresException: 40001: could not serialize access due to concurrent update",
            "System.Net.Http.HttpRequestException: Response status code does not indicate success: 502 (Bad Gateway).",
            "System.IO.IOException: Unable to read data from the transport connection: Connection reset by peer.",
        ], "System.InvalidOperationException"),
        new(JobStatusCodes.RateLimited, "RATE_LIMITED", 0.20, true,
        [
            "Rate limit exceeded for api.stripe.com: retry after 30s",
            "429 Too Many Requests from graph.microsoft.com (throttled for 12 s)",
            "SendGrid rejected the batch: daily quota exceeded",
        ], "Jobwatch.Handlers.JobFailedException"),
        new(JobStatusCodes.Timeout, "TIMEOUT", 0.15, true,
        [
            "The handler ran past its timeout of 00:01:00 and was cancelled",
            "The handler ran past its timeout of 00:10:00 and was cancelled",
        ], "System.OperationCanceledException"),
        new(JobStatusCodes.NotFound, "NOT_FOUND", 0.10, false,
        [
            "Customer cus_{0} not found",
            "Order ord_{0} was deleted before it could be processed",
            "Guild {0} no longer exists",
        ], "Jobwatch.Handlers.JobFailedException"),
        new(InvalidPayload, "INVALID_PAYLOAD", 0.05, false,
        [
            "Payload field 'email' is missing",
            "Payload field 'amount' must be positive (got -{0})",
        ], "Jobwatch.Handlers.JobFailedException"),
        new(JobStatusCodes.Stalled, "STALLED", 0.05, true,
        [
            "The lease expired: worker node-2:{0}:a1b2c3 stopped renewing it",
        ], ""),
    ];

    private static FillName[] BuildNames()
    {
        // (queue, share of all jobs, type, median seconds, failure rate, max attempts, counts items, priority, names…)
        var groups = new (string Queue, double Share, string Type, double Median, double Fail, int Attempts, bool Items, int Priority, string[] Names)[]
        {
            ("emails", 0.24, "email", 0.4, 0.05, 3, false, 0,
                ["send_welcome_email", "send_password_reset", "send_invoice_email", "send_digest_email", "send_receipt", "process_bounces"]),
            ("sync", 0.20, "tick_sync", 40, 0.09, 3, true, 0,
                ["high_priority_tick_sync", "medium_priority_tick_sync", "low_priority_tick_sync", "inventory_sync", "crm_contact_sync", "calendar_sync", "price_feed_sync"]),
            ("webhooks", 0.16, "webhook", 0.25, 0.08, 5, false, 0,
                ["stripe_webhook", "github_webhook", "shopify_order_webhook", "slack_notify", "partner_callback"]),
            ("reports", 0.08, "report", 90, 0.06, 1, true, 0,
                ["daily_sales_report", "weekly_usage_report", "monthly_invoice_run", "export_csv", "analytics_rollup", "guild_summary"]),
            ("critical", 0.01, "payment", 1.5, 0.03, 5, false, 10,
                ["payment_capture", "refund_process", "fraud_check", "account_lock"]),
            ("default", 0.31, "task", 2.0, 0.07, 3, false, 0,
                ["resize_image", "generate_thumbnail", "transcode_video", "cleanup_temp_files", "rebuild_search_index", "recalc_user_stats",
                 "geocode_address", "enrich_wallet", "similarity_analysis", "send_push_notification", "render_pdf", "compact_audit_log"]),
        };
        var names = new List<FillName>();
        foreach (var g in groups)
        {
            // Zipf within a queue: the first name runs most often.
            var harmonic = Enumerable.Range(1, g.Names.Length).Sum(r => 1.0 / r);
            for (var i = 0; i < g.Names.Length; i++)
            {
                var weight = g.Share / harmonic / (i + 1);
                // Failure rates differ by name (0.4x–2x the queue's), so failed stats have a spread.
                var fail = g.Fail * (0.4 + 1.6 * ((i * 7 + 3) % g.Names.Length) / Math.Max(1, g.Names.Length - 1));
                var priority = g.Names[i].StartsWith("high_priority", StringComparison.Ordinal) ? 5 : g.Priority;
                names.Add(new FillName(g.Names[i], g.Type, g.Queue, weight, g.Median * (1 + 0.3 * i), fail, g.Attempts, g.Items, priority));
            }
        }
        return names.ToArray();
    }
}
