using Jobwatch.AspNetCore.Auth;
using Jobwatch.AspNetCore.Metrics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Jobwatch.AspNetCore;

public static class JobwatchApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapJobwatch()</c> needs: options (section <c>Jobwatch:Api</c>, validated at start-up),
    /// the bearer-token scheme and the Jobwatch policies (added beside, never replacing, the app's own auth),
    /// problem details, the OpenAPI document and the Prometheus exporter behind <c>/metrics</c>. Call after <c>AddJobwatch()</c>.
    /// </summary>
    public static IServiceCollection AddJobwatchApi(this IServiceCollection services, Action<JobwatchApiOptions>? configure = null)
    {
        var options = services.AddOptions<JobwatchApiOptions>().BindConfiguration(JobwatchApiOptions.SectionName).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobwatchApiOptions>, JobwatchApiOptionsValidator>());
        services.TryAddSingleton<TokenRegistry>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder();
        foreach (var (policy, roles) in JobwatchPolicies.Roles)
        {
            authorization.AddPolicy(policy, p => p
                .AddAuthenticationSchemes(BearerTokenHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(BearerTokenHandler.RoleClaim, roles.Select(r => r.ToString())));
        }
        services.AddProblemDetails();
        services.AddOpenApi(JobwatchEndpointRouteBuilderExtensions.OpenApiDocumentName);
        services.AddJobwatchRealtime();
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MetricsExporterStartup>());
        return services;
    }

    /// <summary>Adds the tokens in <c>JOBWATCH_TOKENS</c> (role:secret,…) to those from configuration.</summary>
    public static IServiceCollection AddJobwatchTokensFromEnvironment(this IServiceCollection services, string? value = null)
    {
        var tokens = TokenList.Parse(value ?? Environment.GetEnvironmentVariable(TokenList.EnvironmentVariable));
        if (tokens.Count > 0)
        {
            services.Configure<JobwatchApiOptions>(o => o.Tokens.AddRange(tokens));
        }
        return services;
    }
}
