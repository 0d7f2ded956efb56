using Azure;
using BeneficialRL.Grains.Workers;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace BeneficialRL.Grains.Tests.Workers;

public sealed class TransientFailuresTests
{
    public static TheoryData<string, Exception> Transient => new()
    {
        { "blob 503 after retries", new RequestFailedException(503, "ServerBusy") },
        { "no response at all", new RequestFailedException(0, "connection refused") },
        { "open circuit", new BrokenCircuitException() },
        { "attempt timeout", new TimeoutRejectedException() },
        { "grain call timed out", new TimeoutException("Response did not arrive on time") },
        { "silo lost", new SiloUnavailableException() },
        { "wrapped", new InvalidOperationException("while saving a checkpoint", new RequestFailedException(500, "InternalError")) },
        { "all of an aggregate", new AggregateException(new RequestFailedException(503, "a"), new TimeoutException()) },
    };

    public static TheoryData<string, Exception> Permanent => new()
    {
        { "bad data", new InvalidDataException("Experiment has no definition to run.") },
        { "conflict", new RequestFailedException(409, "BlobAlreadyExists") },
        { "absent", new RequestFailedException(404, "BlobNotFound") },
        { "a bug", new NullReferenceException() },
        { "part of an aggregate", new AggregateException(new RequestFailedException(503, "a"), new ArgumentException("bad")) },
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void IsTransient_InfrastructureFailure_ReturnsTrue(string why, Exception exception)
    {
        Assert.True(TransientFailures.IsTransient(exception), why);
    }

    [Theory]
    [MemberData(nameof(Permanent))]
    public void IsTransient_FailureOfTheWork_ReturnsFalse(string why, Exception exception)
    {
        Assert.False(TransientFailures.IsTransient(exception), why);
    }
}
