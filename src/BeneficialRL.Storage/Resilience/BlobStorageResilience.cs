using System.Net;
using System.Net.Sockets;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace BeneficialRL.Storage.Resilience;

/// <summary>
/// The one resilience layer in front of every blob call (artifact store and grain storage): retry with
/// exponential backoff and jitter on transient failures only, a circuit breaker, and a per-attempt timeout.
/// The Azure SDK's own retries are switched off (<see cref="Blobs.BlobStorageClients"/>) so that failures
/// are retried in exactly one place.
/// </summary>
public static class BlobStorageResilience
{
    /// <summary>The pipeline's registration key.</summary>
    public const string PipelineName = "blob-storage";

    /// <summary>
    /// Whether <paramref name="exception"/> is worth retrying: HTTP 408, 429, 500, 502, 503, 504, a request
    /// that got no response at all (Azure.Core reports it as status 0), socket and I/O failures, or an
    /// attempt timeout. Never 404 (absent), 409 or 412 (a concurrency conflict that a retry cannot fix).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } => true,
        RequestFailedException failed => IsTransientStatus(failed.Status),
        HttpRequestException { StatusCode: { } status } => IsTransientStatus((int)status),
        HttpRequestException => true,
        IOException or SocketException => true,
        TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>Adds retry (outermost), circuit breaker, then the per-attempt timeout to <paramref name="builder"/>.</summary>
    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, BlobResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var shouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = shouldHandle,
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = shouldHandle,
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout);
    }

    /// <summary>Builds a stand-alone pipeline, for code that does not use dependency injection.</summary>
    public static ResiliencePipeline Build(BlobResilienceOptions? options = null) =>
        Configure(new ResiliencePipelineBuilder(), options ?? new BlobResilienceOptions()).Build();

    /// <summary>
    /// Registers the <see cref="PipelineName"/> pipeline once (later calls are no-ops), resolvable through
    /// <c>ResiliencePipelineProvider&lt;string&gt;</c>.
    /// </summary>
    public static IServiceCollection AddBlobStorageResilience(this IServiceCollection services, Action<BlobResilienceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(BlobResilienceRegistration)))
        {
            return services;
        }

        services.TryAddSingleton<BlobResilienceRegistration>();
        var options = new BlobResilienceOptions();
        configure?.Invoke(options);
        services.AddResiliencePipeline(PipelineName, builder => Configure(builder, options));
        return services;
    }

    private static bool IsTransientStatus(int status) => status is
        (int)HttpStatusCode.RequestTimeout or
        (int)HttpStatusCode.TooManyRequests or
        (int)HttpStatusCode.InternalServerError or
        (int)HttpStatusCode.BadGateway or
        (int)HttpStatusCode.ServiceUnavailable or
        (int)HttpStatusCode.GatewayTimeout;

    /// <summary>Marks the pipeline as registered, because Polly rejects a second builder for the same key.</summary>
    private sealed class BlobResilienceRegistration;
}
