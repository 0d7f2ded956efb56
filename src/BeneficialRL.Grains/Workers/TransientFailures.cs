using BeneficialRL.Contracts.Resources;
using BeneficialRL.Storage.Resilience;
using Orleans.Runtime;
using Polly.CircuitBreaker;

namespace BeneficialRL.Grains.Workers;

/// <summary>
/// Tells a failure of the infrastructure that outlived its retries (storage unreachable, a silo lost, a grain call
/// timed out) from a failure of the work itself. Work that met the first kind is tried again from its last
/// checkpoint; only the second kind fails it, because retrying cannot help.
/// </summary>
public static class TransientFailures
{
    /// <summary>
    /// How many attempts a work item gets while infrastructure failures keep interrupting it, before it fails with
    /// the last error: a storage account that never comes back must not keep a job alive for ever.
    /// </summary>
    public const int MaxAttempts = 10;

    /// <summary>
    /// Whether <paramref name="exception"/> (or what it wraps) is a transient infrastructure failure: a blob call
    /// whose retries ran out on a transient status (<see cref="BlobStorageResilience.IsTransient"/>), an open circuit,
    /// a lost or unreachable silo, a grain call that timed out; also such a failure inside a grain call, which reaches
    /// the caller as a <see cref="TransientInfrastructureException"/> (see <c>TransientFailureCallFilter</c>).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TransientInfrastructureException or BrokenCircuitException or SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
                    or Orleans.Runtime.Messaging.ConnectionFailedException or GatewayTooBusyException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    return aggregate.InnerExceptions.All(IsTransient);
                case var _ when BlobStorageResilience.IsTransient(e):
                    return true;
            }
        }

        return false;
    }
}
