using System.Collections.Concurrent;
using System.Diagnostics;
using BeneficialRL.Grains.Telemetry;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace BeneficialRL.Api.Tests;

/// <summary>What the silos record is what their OpenTelemetry exporter sends.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public void WorkMetrics_AreOnTheMeterTheServiceDefaultsExport() =>
        Assert.Equal(ServiceDefaultsExtensions.TelemetryName, WorkMetrics.MeterName);

    [Fact]
    public void HousekeepingSampler_DropsTimerTraceWithItsCalls_KeepsRequestsAndTheSameCallUnderARequest()
    {
        using var source = new ActivitySource($"test-{Guid.NewGuid():N}");
        var exported = new ConcurrentQueue<string>();
        using (Sdk.CreateTracerProviderBuilder()
            .SetSampler(HousekeepingTraceSampler.ParentBased())
            .AddSource(source.Name)
            .AddProcessor(new Collect(exported))
            .Build())
        {
            // A dashboard counter report on a timer, and the grain call it makes: neither is exported.
            using (source.StartActivity("ISiloGrainService/ReportCounters"))
            using (source.StartActivity("IManagementGrain/GetRuntimeStatistics"))
            {
            }

            // An API request whose handler makes the same call: both are exported.
            using (source.StartActivity("GET /api/v1/cluster", ActivityKind.Server))
            using (source.StartActivity("IManagementGrain/GetRuntimeStatistics"))
            {
            }

            using (source.StartActivity("IExperimentGrain/GetAsync"))
            {
            }
        }

        Assert.Equal(["IManagementGrain/GetRuntimeStatistics", "GET /api/v1/cluster", "IExperimentGrain/GetAsync"], exported);
    }

    private sealed class Collect(ConcurrentQueue<string> names) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => names.Enqueue(data.DisplayName);
    }
}
