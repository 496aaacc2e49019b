using Jobwatch.Handlers;
using Jobwatch.StatusCodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jobwatch.DependencyInjection;

/// <summary>Returned by <c>AddJobwatch</c>: chains storage, handlers and status codes.</summary>
public sealed class JobwatchBuilder
{
    internal JobwatchBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    /// <summary>Registers a handler for a stable job name. Several names may share one handler and args type.</summary>
    public JobwatchBuilder AddHandler<THandler, TArgs>(string name, Action<JobHandlerOptions>? configure = null)
        where THandler : class, IJobHandler<TArgs>
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A job name is required (e.g. \"high_priority_tick_sync\"): it is the job's stable identity in storage.", nameof(name));
        }
        var options = new JobHandlerOptions();
        configure?.Invoke(options);
        Services.TryAddScoped<THandler>();
        Services.AddSingleton(new JobDefinition(name, typeof(TArgs), typeof(THandler), options));
        return this;
    }

    /// <summary>Registers an application status code (seed 000), e.g. <c>AddStatusCode(429, "RATE_LIMITED", "…", retryable: true)</c>.</summary>
    public JobwatchBuilder AddStatusCode(int code, string label, string description = "", bool retryable = false, string? registeredBy = null)
    {
        Services.AddSingleton(new StatusCodeDefinition(code, label, description, retryable, registeredBy ?? "application"));
        return this;
    }
}
