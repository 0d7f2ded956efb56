using System.Net;
using System.Net.Sockets;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
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

    /// <summary>
    /// Adds retry (outermost), circuit breaker, the per-attempt timeout, and innermost the chaos strategies when
    /// <see cref="BlobResilienceOptions.Chaos"/> switches any on, to <paramref name="builder"/>.
    /// </summary>
    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, BlobResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Chaos.Validate(); // also when off: a mistyped rate must not silently disable a trial
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

        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = shouldHandle,
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.AttemptTimeout);
        if (options.Chaos.Enabled) AddChaos(builder, options);
        return builder;
    }

    /// <summary>
    /// Injected faults go innermost, so each one meets the same timeout, breaker and retry a real failure meets:
    /// a 503 is retried, a hang is cut by the attempt timeout and retried, latency only slows the attempt.
    /// </summary>
    private static void AddChaos(ResiliencePipelineBuilder builder, BlobResilienceOptions options)
    {
        var chaos = options.Chaos;
        Func<double> randomizer = chaos.Seed is { } seed ? Seeded(seed) : Random.Shared.NextDouble;
        if (chaos.FaultRate > 0)
        {
            builder.AddChaosFault(new ChaosFaultStrategyOptions
            {
                InjectionRate = chaos.FaultRate,
                Randomizer = randomizer,
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(new RequestFailedException(503, "Injected by the blob-storage chaos strategy.", "ServerBusy", null)),
                OnFaultInjected = _ => Report(chaos, "fault"),
            });
        }

        if (chaos.TimeoutRate > 0)
        {
            builder.AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                InjectionRate = chaos.TimeoutRate,
                Randomizer = randomizer,
                LatencyGenerator = _ => Injected(chaos, "timeout", options.AttemptTimeout + TimeSpan.FromSeconds(1)),
            });
        }

        if (chaos.LatencyRate > 0)
        {
            builder.AddChaosLatency(new ChaosLatencyStrategyOptions
            {
                InjectionRate = chaos.LatencyRate,
                Randomizer = randomizer,
                LatencyGenerator = _ => Injected(chaos, "latency", chaos.Latency),
            });
        }
    }

    private static Func<double> Seeded(int seed)
    {
        var random = new Random(seed);
        return () =>
        {
            lock (random)
            {
                return random.NextDouble();
            }
        };
    }

    private static ValueTask Report(BlobChaosOptions chaos, string kind)
    {
        chaos.Injected?.Invoke(kind);
        return ValueTask.CompletedTask;
    }

    /// <summary>Reports a latency injection as it starts: Polly's own callback runs after the delay, never for a hang the timeout cuts.</summary>
    private static ValueTask<TimeSpan> Injected(BlobChaosOptions chaos, string kind, TimeSpan latency)
    {
        chaos.Injected?.Invoke(kind);
        return ValueTask.FromResult(latency);
    }

    /// <summary>Builds a stand-alone pipeline, for code that does not use dependency injection.</summary>
    public static ResiliencePipeline Build(BlobResilienceOptions? options = null) =>
        Configure(new ResiliencePipelineBuilder(), options ?? new BlobResilienceOptions()).Build();

    /// <summary>
    /// Registers the <see cref="PipelineName"/> pipeline once, resolvable through <c>ResiliencePipelineProvider&lt;string&gt;</c>,
    /// built from <c>IOptions&lt;BlobResilienceOptions&gt;</c> (a host binds them to configuration;
    /// <paramref name="configure"/> adds to them, on every call).
    /// </summary>
    public static IServiceCollection AddBlobStorageResilience(this IServiceCollection services, Action<BlobResilienceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BlobResilienceOptions>();
        if (configure is not null) options.Configure(configure);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(BlobResilienceRegistration))) return services;

        services.TryAddSingleton<BlobResilienceRegistration>();
        services.AddResiliencePipeline(PipelineName, (builder, context) =>
            Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<BlobResilienceOptions>>().Value));
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
