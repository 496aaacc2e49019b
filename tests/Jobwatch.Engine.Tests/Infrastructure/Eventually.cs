using Jobwatch.Model;

namespace Jobwatch.Engine.Tests.Infrastructure;

/// <summary>Bounded polling: every wait in these tests ends, with a message saying what never happened.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        var last = await read();
        while (!done(last))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}; last seen: {Describe(last)}");
            }
            await Task.Delay(25);
            last = await read();
        }
        return last;
    }

    public static Task UntilAsync(Func<bool> done, string what, TimeSpan? timeout = null) =>
        UntilAsync(() => Task.FromResult(done()), d => d, what, timeout);

    /// <summary>Waits for a task the test does not control (a handler's signal), failing clearly instead of hanging.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}.");
        }
        return await task;
    }

    public static async Task WithinAsync(Task task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        if (await Task.WhenAny(task, Task.Delay(limit)) != task)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0.#} s for {what}.");
        }
        await task;
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        JobRecord j => $"job {j.Id} state {j.State.ToName()}, attempt {j.Attempt}/{j.MaxAttempts}, code {j.StatusCode} {j.StatusLabel}, error {j.LastError}",
        _ => value.ToString() ?? "",
    };
}
