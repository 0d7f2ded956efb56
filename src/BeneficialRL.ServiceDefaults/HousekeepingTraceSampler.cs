using System.Collections.Frozen;
using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Drops the traces of the silo's own housekeeping: grain calls that the Orleans runtime and the Orleans dashboard make
/// on a timer, every second or so, with no request behind them. Exported, they made up nearly every trace in the Aspire
/// dashboard (an idle silo's first two minutes: 468 spans, about two root traces a second) and buried the API requests
/// and training calls an operator opens the traces view to find. Only <em>root</em> spans are matched; as the root of a
/// <see cref="ParentBasedSampler"/> the decision carries to the calls such a trace makes. A grain call with a parent (a
/// request, an experiment job) is never dropped, whatever its name.
/// </summary>
public sealed class HousekeepingTraceSampler : Sampler
{
    /// <summary>
    /// Span names (interface/method, as Orleans names its call activities) of the periodic calls: the grain-timer tick
    /// (this codebase registers no grain timers of its own, so every tick is the runtime's or the dashboard's), the
    /// dashboard's counter reports and runtime-statistics polls.
    /// </summary>
    public static readonly FrozenSet<string> HousekeepingSpanNames = FrozenSet.Create(
        StringComparer.Ordinal,
        "IGrainTimerInvoker/InvokeCallbackAsync",
        "ISiloGrainService/ReportCounters",
        "IManagementGrain/GetRuntimeStatistics",
        "ISiloControl/GetRuntimeStatistics");

    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);

    /// <summary>The sampler to install: this one for roots, the parent's decision for everything else.</summary>
    public static Sampler ParentBased() => new ParentBasedSampler(new HousekeepingTraceSampler());

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.ParentContext.TraceId == default && HousekeepingSpanNames.Contains(samplingParameters.Name) ? Drop : Keep;
}
