using Jobwatch.Contracts.Events;
using Jobwatch.Events;

namespace Jobwatch.AspNetCore.Realtime;

/// <summary>
/// What one client wants: every job, or these jobs and these queues. Immutable: a change makes a new set, so the feed
/// can read it without a lock. Unlike the core's filter, an empty set matches nothing (a hub client starts with no subscriptions).
/// </summary>
internal sealed class SubscriptionSet
{
    public static SubscriptionSet None { get; } = new(false, new HashSet<long>(), new HashSet<string>(StringComparer.Ordinal));
    public static SubscriptionSet Everything { get; } = new(true, new HashSet<long>(), new HashSet<string>(StringComparer.Ordinal));

    private readonly HashSet<long> _jobs;
    private readonly HashSet<string> _queues;

    private SubscriptionSet(bool all, HashSet<long> jobs, HashSet<string> queues)
    {
        All = all;
        _jobs = jobs;
        _queues = queues;
    }

    public bool All { get; }
    public int Count => _jobs.Count + _queues.Count;
    public bool HasJob(long id) => _jobs.Contains(id);
    public bool HasQueue(string queue) => _queues.Contains(queue);
    public IReadOnlyCollection<long> Jobs => _jobs;

    public static SubscriptionSet Of(IEnumerable<long> jobs, IEnumerable<string> queues)
    {
        var set = new SubscriptionSet(false, [.. jobs], new HashSet<string>(queues, StringComparer.Ordinal));
        return set.Count == 0 ? Everything : set;
    }

    public bool Matches(JobEvent e) => All || _jobs.Contains(e.JobId) || _queues.Contains(e.Queue);

    public bool Matches(long jobId, string queue) => All || _jobs.Contains(jobId) || _queues.Contains(queue);

    public SubscriptionSet WithAll(bool all) => new(all, _jobs, _queues);

    public SubscriptionSet WithJob(long id, bool add)
    {
        var jobs = new HashSet<long>(_jobs);
        if (add) jobs.Add(id); else jobs.Remove(id);
        return new(All, jobs, _queues);
    }

    public SubscriptionSet WithQueue(string queue, bool add)
    {
        var queues = new HashSet<string>(_queues, StringComparer.Ordinal);
        if (add) queues.Add(queue); else queues.Remove(queue);
        return new(All, _jobs, queues);
    }

    public HubSubscriptions ToContract() =>
        new(All, _jobs.Order().ToArray(), _queues.Order(StringComparer.Ordinal).ToArray());
}
