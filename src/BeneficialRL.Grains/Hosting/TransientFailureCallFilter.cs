using BeneficialRL.Contracts.Resources;
using BeneficialRL.Grains.Workers;
using Microsoft.Extensions.Logging;

namespace BeneficialRL.Grains.Hosting;

/// <summary>
/// Turns a transient infrastructure failure escaping a grain call (a blob call whose retries ran out, an open
/// circuit) into a <see cref="TransientInfrastructureException"/>, which crosses the wire and tells the caller to try
/// again; the original exception is logged here, where its details are. The grain is deactivated: a state write whose
/// retries ran out leaves its in-memory state ahead of what is stored, and the next call must see what is stored.
/// </summary>
public sealed partial class TransientFailureCallFilter(ILogger<TransientFailureCallFilter> logger) : IIncomingGrainCallFilter
{
    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (e is not TransientInfrastructureException && TransientFailures.IsTransient(e))
        {
            LogTransient(logger, e, context.InterfaceName, context.MethodName);
            context.TargetContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e, "A transient infrastructure failure; its state is read again on the next call."));
            throw new TransientInfrastructureException($"{context.MethodName} could not complete: storage or a silo is unavailable for now ({e.Message}).");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} failed on a transient infrastructure failure")]
    private static partial void LogTransient(ILogger logger, Exception exception, string @interface, string method);
}
