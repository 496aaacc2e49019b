using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Jobwatch.Contracts.Runs;

namespace Jobwatch.Client;

/// <summary>
/// A run reported to a Jobwatch server from a process that runs no Jobwatch workers. Progress calls only count in
/// memory; a background loop sends what accumulated at most every <see cref="RemoteRunOptions.ReportInterval"/>, and a
/// heartbeat when there is nothing to send. <see cref="CompleteAsync"/> and <see cref="FailAsync(string, int, string?, CancellationToken)"/>
/// carry the last counts with the outcome. Disposing a run that was neither completed nor failed fails it.
/// If the server says the run is over (an operator cancelled it, it was marked stalled, or another server holds it),
/// <see cref="Aborted"/> is signalled with <see cref="AbortReason"/>: stop the work.
/// A report whose answer is lost (a timeout) is sent again, so a count may then be added twice.
/// </summary>
public sealed class RemoteRun : IAsyncDisposable
{
    private readonly JobwatchClient _client;
    private readonly TimeSpan _reportInterval;
    private readonly TimeSpan _heartbeatInterval;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _aborted = new();
    private readonly Task _loop;
    private long _succeeded, _failed;
    private long? _total;
    private double? _percent;
    private JsonElement? _custom;
    private string? _updatedBy;
    private long _lastSent = Stopwatch.GetTimestamp();
    private long _reportsSent;
    private volatile RunDto _status;
    private volatile string? _abortReason;
    private volatile Exception? _lastError;
    private int _finished;

    internal RemoteRun(JobwatchClient client, RunDto started, RemoteRunOptions options)
    {
        _client = client;
        _status = started;
        _reportInterval = options.ReportInterval;
        var timeout = TimeSpan.FromSeconds(started.HeartbeatTimeoutSeconds ?? 60);
        _heartbeatInterval = options.HeartbeatInterval ?? timeout / 3;
        _loop = Task.Run(LoopAsync);
    }

    public long Id => _status.Id;
    /// <summary>The run as the server last answered (live percent, rate and ETA after each report).</summary>
    public RunDto Status => _status;
    /// <summary>Signalled when the server will take no more reports for this run; <see cref="AbortReason"/> says why.</summary>
    public CancellationToken Aborted => _aborted.Token;
    public string? AbortReason => _abortReason;
    /// <summary>The last error of a background report (the server unreachable, …); the counts are kept and sent with the next one.</summary>
    public Exception? LastReportError => _lastError;
    /// <summary>Progress and heartbeat calls made so far (not counting start, complete or fail).</summary>
    public long ReportsSent => Interlocked.Read(ref _reportsSent);

    public void SetTotal(long totalItems)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalItems);
        lock (_gate) _total = totalItems;
    }

    public void ItemSucceeded(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) _succeeded += count;
    }

    public void ItemFailed(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) _failed += count;
    }

    /// <summary>A percentage (0–100) for work that does not count items.</summary>
    public void ReportPercent(double percent)
    {
        if (!double.IsFinite(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentage is 0–100.");
        }
        lock (_gate) _percent = percent;
    }

    /// <summary>Custom progress: any object that serializes to a JSON object, e.g. <c>new { batch = 3, total_batches = 5 }</c>.</summary>
    public void ReportCustom(object progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var json = progress as JsonElement? ?? JsonSerializer.SerializeToElement(progress, progress.GetType(), RunJson.Options);
        if (json.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Custom progress must serialize to a JSON object (got a JSON {json.ValueKind.ToString().ToLowerInvariant()}).", nameof(progress));
        }
        lock (_gate) _custom = json;
    }

    /// <summary>The source reporting (seed 000's updatedBy), sent with the next report.</summary>
    public void SetUpdatedBy(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        lock (_gate) _updatedBy = source;
    }

    /// <summary>Sends what has been counted now (or a heartbeat when nothing has), instead of waiting for the next interval.</summary>
    public async Task ReportAsync(CancellationToken ct = default)
    {
        await _sending.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await SendReportAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Completes the run with a success (2xx) or skip (3xx) code, sending the last counts with it.</summary>
    public Task<RunDto> CompleteAsync(int statusCode = 200, object? result = null, CancellationToken ct = default) =>
        FinishAsync(progress => _client.CompleteRunAsync(Id, new CompleteRunRequest
        {
            StatusCode = statusCode,
            Result = result is null ? null : result as JsonElement? ?? JsonSerializer.SerializeToElement(result, result.GetType(), RunJson.Options),
            Progress = progress,
        }, ct), ct);

    /// <summary>Fails the run with an error (4xx or 5xx) code, sending the last counts with it.</summary>
    public Task<RunDto> FailAsync(string error, int statusCode = 500, string? stack = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return FinishAsync(progress => _client.FailRunAsync(Id, new FailRunRequest { Error = error, StatusCode = statusCode, Stack = stack, Progress = progress }, ct), ct);
    }

    public Task<RunDto> FailAsync(Exception exception, int statusCode = 500, CancellationToken ct = default) =>
        FailAsync(exception.Message, statusCode, exception.ToString(), ct);

    private async Task<RunDto> FinishAsync(Func<RunProgressRequest?, Task<RunDto>> send, CancellationToken ct)
    {
        await _sending.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _finished) == 1)
            {
                throw new InvalidOperationException($"Run {Id} has already been completed or failed.");
            }
            var pending = TakePending();
            try
            {
                _status = await send(pending).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not JobwatchApiException { Status: HttpStatusCode.NotFound or HttpStatusCode.Conflict })
            {
                // The outcome may not have arrived: keep the counts so a retried CompleteAsync/FailAsync sends them.
                Restore(pending);
                throw;
            }
            Volatile.Write(ref _finished, 1);
            _stop.Cancel();
            return _status;
        }
        catch (JobwatchApiException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            Abort(ex);
            throw;
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task LoopAsync()
    {
        var tick = _reportInterval < _heartbeatInterval ? _reportInterval : _heartbeatInterval;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(tick, _stop.Token).ConfigureAwait(false);
                if (!HasPending() && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSent)) < _heartbeatInterval)
                {
                    continue;
                }
                await _sending.WaitAsync(_stop.Token).ConfigureAwait(false);
                try
                {
                    await SendReportAsync(_stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sending.Release();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (JobwatchApiException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            {
                return; // aborted: the server takes no more reports
            }
            catch (Exception ex)
            {
                _lastError = ex; // unreachable or refusing for now: the counts wait for the next tick
            }
        }
    }

    /// <summary>Sends pending progress, or a heartbeat. Callers hold <see cref="_sending"/>, so counts are never sent twice at once.</summary>
    private async Task SendReportAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _finished) == 1 || _aborted.IsCancellationRequested)
        {
            return;
        }
        var pending = TakePending();
        try
        {
            _status = pending is null
                ? await _client.SendRunHeartbeatAsync(Id, ct).ConfigureAwait(false)
                : await _client.ReportRunProgressAsync(Id, pending, ct).ConfigureAwait(false);
            Interlocked.Increment(ref _reportsSent);
            Interlocked.Exchange(ref _lastSent, Stopwatch.GetTimestamp());
            _lastError = null;
        }
        catch (JobwatchApiException ex) when (ex.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            Abort(ex);
            throw;
        }
        catch (JobwatchApiException ex) when (ex.Status == HttpStatusCode.BadRequest)
        {
            throw; // the server refused these values; sending them again would be refused again
        }
        catch
        {
            Restore(pending);
            throw;
        }
    }

    private void Abort(JobwatchApiException ex)
    {
        _abortReason ??= ex.Detail ?? ex.Message;
        _lastError = ex;
        _stop.Cancel();
        _aborted.Cancel();
    }

    private bool HasPending()
    {
        lock (_gate)
        {
            return _succeeded != 0 || _failed != 0 || _total is not null || _percent is not null || _custom is not null || _updatedBy is not null;
        }
    }

    private RunProgressRequest? TakePending()
    {
        lock (_gate)
        {
            if (_succeeded == 0 && _failed == 0 && _total is null && _percent is null && _custom is null && _updatedBy is null)
            {
                return null;
            }
            var report = new RunProgressRequest
            {
                TotalItems = _total,
                ItemsSucceeded = _succeeded == 0 ? null : _succeeded,
                ItemsFailed = _failed == 0 ? null : _failed,
                Percent = _percent,
                Custom = _custom,
                UpdatedBy = _updatedBy,
            };
            (_succeeded, _failed, _total, _percent, _custom, _updatedBy) = (0, 0, null, null, null, null);
            return report;
        }
    }

    /// <summary>Puts back a report that did not arrive: counts add up; a value set again meanwhile wins over the old one.</summary>
    private void Restore(RunProgressRequest? report)
    {
        if (report is null)
        {
            return;
        }
        lock (_gate)
        {
            _succeeded += report.ItemsSucceeded ?? 0;
            _failed += report.ItemsFailed ?? 0;
            _total ??= report.TotalItems;
            _percent ??= report.Percent;
            _custom ??= report.Custom;
            _updatedBy ??= report.UpdatedBy;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _loop.ConfigureAwait(false);
        if (Volatile.Read(ref _finished) == 0 && !_aborted.IsCancellationRequested)
        {
            try
            {
                await FailAsync("The run was disposed without being completed or failed.").ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JobwatchApiException or HttpRequestException or TaskCanceledException)
            {
                // The server is unreachable or already ended the run: it is marked stalled after its timeout.
            }
        }
        _stop.Dispose();
        _aborted.Dispose();
        _sending.Dispose();
    }
}
