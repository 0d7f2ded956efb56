using System.Buffers.Text;
using System.Security.Cryptography;
using BeneficialRL.LocalInfrastructure;
using Microsoft.Extensions.Configuration;

namespace BeneficialRL.AppHost.Dashboard;

/// <summary>
/// Where the Aspire dashboard listens and how to log in, for runs without a launch profile (the built dll, tests):
/// free loopback ports for its UI and its OTLP receiver, plain HTTP (loopback only, no developer certificate needed),
/// and a browser token this process knows, so it can print the login URL. Values already configured (environment,
/// launch profile) win.
/// </summary>
public sealed record DashboardSettings(string Url, string OtlpEndpointUrl, string BrowserToken)
{
    private const string UrlsKey = "ASPNETCORE_URLS";
    private const string OtlpKey = "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL";
    private const string TokenKey = "ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN";
    private const string UnsecuredKey = "ASPIRE_ALLOW_UNSECURED_TRANSPORT";

    /// <summary>The URL that logs a browser in to the dashboard.</summary>
    public string LoginUrl => $"{Url.Split(';')[0].TrimEnd('/')}/login?t={BrowserToken}";

    /// <summary>Takes what the environment configures and fills in the rest.</summary>
    public static DashboardSettings Resolve()
    {
        var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        return new DashboardSettings(
            environment[UrlsKey] ?? $"http://localhost:{FreePorts.Next()}",
            environment[OtlpKey] ?? $"http://localhost:{FreePorts.Next()}",
            environment[TokenKey] ?? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
    }

    /// <summary>Command-line style configuration for <c>DistributedApplication.CreateBuilder</c>.</summary>
    public string[] ToArguments()
    {
        string[] arguments = [$"--{UrlsKey}={Url}", $"--{OtlpKey}={OtlpEndpointUrl}", $"--{TokenKey}={BrowserToken}"];
        return Url.StartsWith("http://", StringComparison.Ordinal) || OtlpEndpointUrl.StartsWith("http://", StringComparison.Ordinal)
            ? [.. arguments, $"--{UnsecuredKey}=true"]
            : arguments;
    }
}
