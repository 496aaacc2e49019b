namespace Jobwatch.Observability.Tests.Infrastructure;

public static class Poll
{
    /// <summary>Retries <paramref name="attempt"/> until it returns a value; on timeout fails with <paramref name="describe"/>'s account of why.</summary>
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T?>> attempt, TimeSpan timeout, Func<string> describe, TimeSpan? interval = null) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await attempt() is { } value) return value;
                last = null;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Xunit.Sdk.XunitException)
            {
                last = ex;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No {what} within {timeout}.{(last is null ? "" : $" Last error: {last.Message}")}\n{describe()}");
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(500));
        }
    }
}
