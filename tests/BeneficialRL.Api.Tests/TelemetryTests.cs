using BeneficialRL.Grains.Telemetry;
using Microsoft.Extensions.Hosting;

namespace BeneficialRL.Api.Tests;

/// <summary>What the silos record is what their OpenTelemetry exporter sends.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public void WorkMetrics_AreOnTheMeterTheServiceDefaultsExport() =>
        Assert.Equal(ServiceDefaultsExtensions.TelemetryName, WorkMetrics.MeterName);
}
